import Foundation
import Shared

/// What the agent knows of the devices that push, kept in the journal folder (`.devices.json`)
/// so that outages, clock drift and refused devices are the same after a restart, for `check`,
/// `status` and a reader-offline alert. Written by the receiver (temp file, fsync, rename).
struct ADMSDeviceState: Codable, Sendable, Equatable {
    /// One listed device.
    struct Device: Codable, Sendable, Equatable {
        var reader: String
        /// Its first and last call (any endpoint).
        var firstCall: Date?
        var lastCall: Date?
        /// The address it last called from.
        var lastAddress: String?
        /// The newest punch it uploaded, in the site's wall-clock time.
        var lastPunch: LocalDateTime?
        /// The `Stamp` of its last stored `ATTLOG` upload, given back in the options.
        var stamp: String?
        /// Newest punch of an upload minus the time of receipt, in seconds, for the last uploads.
        var driftSamples: [Int] = []
        var driftMeasured: Date?
        /// Silences longer than the device's `offline_minutes`: from the call before to the call after.
        var outages: [Outage] = []

        /// The device clock's drift: the largest recent sample (a punch cannot be uploaded before it
        /// happens, so the largest is the closest to the clock's offset; uploads of a backlog lag
        /// behind and weigh nothing). Nil before the first upload.
        var drift: Int? { driftSamples.max() }
    }

    struct Outage: Codable, Sendable, Equatable {
        var from: Date
        var to: Date
    }

    /// A call from a serial number that is not listed.
    struct Refused: Codable, Sendable, Equatable {
        var serial: String
        var address: String
        var first: Date
        var last: Date
        var count: Int
    }

    var devices: [String: Device] = [:]
    var refused: [Refused] = []

    /// Drift samples kept per device.
    static let driftSamples = 8
    /// Outages kept per device (the oldest go first).
    static let maxOutages = 2_000
    /// Refused serials kept (the least recent go first).
    static let maxRefused = 100
    /// A drift past this is a `clock_skew` item: two minutes.
    static let driftLimitSeconds = 120

    /// Reads the state at `url`; an absent file is an empty state.
    static func read(_ url: URL) throws -> ADMSDeviceState {
        guard FileManager.default.fileExists(atPath: url.path) else { return ADMSDeviceState() }
        let data = try Data(contentsOf: url)
        return try decoder.decode(ADMSDeviceState.self, from: data)
    }

    func write(_ url: URL) throws(SpoolError) {
        let data = (try? Self.encoder.encode(self)) ?? Data()
        try DurableFile.write(data, to: url)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// The last call of every listed device's reader, by reader id (the latest of its devices).
    func lastCalls(_ config: ADMSConfig) -> [String: Date] {
        var out: [String: Date] = [:]
        for device in config.devices {
            guard let last = devices[device.serial]?.lastCall else { continue }
            out[device.reader] = max(out[device.reader] ?? last, last)
        }
        return out
    }

    /// A number that changes when what the rules read of the state changes (outages, clock drift),
    /// and not on every heartbeat: the scanner reads the inputs again only then. The same in every
    /// process: it is saved with the scanner's state, and a restart must find it unchanged.
    var judgementStamp: Int64 {
        var hash = FNV1a()
        for serial in devices.keys.sorted() {
            let d = devices[serial]!
            let lastEnd = d.outages.last.map { "\($0.to.timeIntervalSince1970)" } ?? "-"
            let drift = d.drift.map { abs($0) > Self.driftLimitSeconds ? $0 : 0 }.map(String.init) ?? "-"
            hash.add("\(serial)|\(d.outages.count)|\(lastEnd)|\(drift);".utf8)
        }
        return Int64(bitPattern: hash.value)
    }

    /// Records a call of `serial` at `now`: an outage when it was silent for more than `offline` seconds.
    /// Returns whether it was the device's first call or ended an outage.
    @discardableResult
    mutating func call(serial: String, reader: String, address: String, now: Date, offline: TimeInterval) -> Bool {
        var d = devices[serial] ?? Device(reader: reader)
        var news = d.lastCall == nil
        d.reader = reader
        if let last = d.lastCall, now.timeIntervalSince(last) > offline {
            d.outages.append(Outage(from: last, to: now))
            if d.outages.count > Self.maxOutages { d.outages.removeFirst(d.outages.count - Self.maxOutages) }
            news = true
        }
        if d.firstCall == nil { d.firstCall = now }
        d.lastCall = max(d.lastCall ?? now, now)
        d.lastAddress = address
        devices[serial] = d
        return news
    }

    /// Records a refused call.
    /// Returns whether the serial and address are new (a repeat need not be written at once).
    @discardableResult
    mutating func refuse(serial: String, address: String, now: Date) -> Bool {
        if let i = refused.firstIndex(where: { $0.serial == serial && $0.address == address }) {
            refused[i].last = now
            refused[i].count += 1
            return false
        } else {
            refused.append(Refused(serial: serial, address: address, first: now, last: now, count: 1))
            if refused.count > Self.maxRefused {
                refused.sort { $0.last > $1.last }
                refused.removeLast(refused.count - Self.maxRefused)
            }
            return true
        }
    }

    /// The outages of the listed devices as the engine takes them, with a device silent now past
    /// its limit as an outage still open.
    static func outages(_ state: ADMSDeviceState, config: ADMSConfig, zone: TimeZone, now: Date) -> [ReaderOutage] {
        var out: [ReaderOutage] = []
        for device in config.devices {
            guard let d = state.devices[device.serial] else { continue }
            for o in d.outages {
                out.append(ReaderOutage(reader: device.reader, device: device.serial,
                                        from: Office.localNow(in: zone, at: o.from), to: Office.localNow(in: zone, at: o.to)))
            }
            let limit = config.offlineLimit(device)
            if let last = d.lastCall, now.timeIntervalSince(last) > limit {
                out.append(ReaderOutage(reader: device.reader, device: device.serial,
                                        from: Office.localNow(in: zone, at: last), to: nil))
            }
        }
        return out
    }

    /// One `clock_skew` item per listed device whose clock drifts past two minutes.
    static func clockSkews(_ state: ADMSDeviceState, config: ADMSConfig, zone: TimeZone) -> [QualityItem] {
        config.devices.compactMap { device in
            guard let d = state.devices[device.serial], let drift = d.drift, abs(drift) > driftLimitSeconds else { return nil }
            let at = d.driftMeasured.map { Office.localNow(in: zone, at: $0) }
            let way = drift > 0 ? "ahead of" : "behind"
            var item = QualityItem(kind: .clockSkew, date: at?.date, reader: device.reader,
                                   message: "Reader \(device.reader) (device \(device.serial)) keeps a clock \(abs(drift)) s \(way) "
                                       + "the agent's (measured from its real-time uploads"
                                       + (at.map { ", last at \($0)" } ?? "") + "); the times of its punches may be off by as "
                                       + "much. Set the device's clock, or let it take the time from the server.")
            item.driftSeconds = drift
            return item
        }
    }
}
