import Foundation
import Shared

/// What `duty-agent status` shows of the readers that push: each listed device and the refused
/// serials, from the receiver's state file.
struct ADMSStatus: Codable, Sendable {
    struct Device: Codable, Sendable {
        var serial: String
        var reader: String
        var lastCall: Date?
        var lastAddress: String?
        /// The newest punch it uploaded (site wall-clock time).
        var lastPunch: LocalDateTime?
        /// Seconds its clock runs ahead (negative: behind) of the agent's; nil before an upload.
        var driftSeconds: Int?
        /// `online`, `offline` (silent past its offline_minutes) or `never` (no call yet).
        var state: String
        var outages: Int
    }
    var journal: String
    var devices: [Device]
    var refused: [ADMSDeviceState.Refused]
    /// Set when the state file cannot be read.
    var error: String?

    static func of(_ config: ADMSConfig, now: Date) -> ADMSStatus {
        var problem: String?
        var state = ADMSDeviceState()
        do { state = try ADMSDeviceState.read(config.stateFile) } catch let e { problem = "\(config.stateFile.path): \(e)" }
        let devices = config.devices.map { device -> Device in
            let d = state.devices[device.serial]
            let limit = config.offlineLimit(device)
            let status = d?.lastCall.map { now.timeIntervalSince($0) > limit ? "offline" : "online" } ?? "never"
            return Device(serial: device.serial, reader: device.reader, lastCall: d?.lastCall, lastAddress: d?.lastAddress,
                          lastPunch: d?.lastPunch, driftSeconds: d?.drift, state: status, outages: d?.outages.count ?? 0)
        }
        return ADMSStatus(journal: config.journal.path, devices: devices,
                          refused: state.refused.sorted { $0.last > $1.last }, error: problem)
    }

    /// The text of `status`, one line a device and a refused serial.
    var text: String {
        let f = ISO8601DateFormatter()
        var out = "readers that push (journal \(journal)):\n"
        if let error { out += "  DEVICE STATE UNREADABLE: \(error)\n" }
        for d in devices {
            var line = "  \(d.serial) reader \(d.reader): "
            if let last = d.lastCall {
                line += (d.state == "offline" ? "OFFLINE" : d.state) + ", last call " + f.string(from: last)
                    + (d.lastAddress.map { " from \($0)" } ?? "")
            } else {
                line += "never called"
            }
            line += ", last punch " + (d.lastPunch.map(\.description) ?? "none")
            if let drift = d.driftSeconds {
                line += ", clock \(drift >= 0 ? "+" : "")\(drift) s" + (abs(drift) > ADMSDeviceState.driftLimitSeconds ? " (CLOCK WRONG)" : "")
            }
            if d.outages > 0 { line += ", \(d.outages) outage\(d.outages == 1 ? "" : "s") recorded" }
            out += line + "\n"
        }
        for r in refused {
            out += "  REFUSED unknown device \(r.serial) from \(r.address): \(r.count) call\(r.count == 1 ? "" : "s"), "
                + "first \(f.string(from: r.first)), last \(f.string(from: r.last)); add it to [[adms.device]] if it is yours\n"
        }
        return out
    }
}
