import Foundation
import Shared
import TOMLKit

extension AgentConfigParser {
    /// `[adms]`: `listen` (`host:port`, default `0.0.0.0:8081`), `journal` (default `adms`),
    /// `offline_minutes` (10); `[[adms.device]]`: `serial` and `reader` (required, serials unique),
    /// `offline_minutes`.
    ///
    /// When the config defines `[[reader]]` tables, a device's `reader` must be one of them: a typo
    /// would put the duty room's punches at a reader that is no post, and an officer at the post
    /// would seem away from it.
    mutating func parseADMS(_ root: TOMLTable, readers: [ReaderConfig] = []) -> ADMSConfig? {
        guard let t = table(root, "adms", at: "") else { return nil }
        checkKeys(t, at: "adms", allowed: ["listen", "journal", "offline_minutes", "device"])
        var host = "0.0.0.0", port = 8081
        if let listen = string(t, "listen", at: "adms") {
            if let (h, p) = Self.hostPort(listen) { (host, port) = (h, p) } else {
                fail("adms.listen", "\"\(listen)\" is not host:port (such as \"0.0.0.0:8081\"; port 1-65535)")
            }
        }
        let journalText = string(t, "journal", at: "adms") ?? "adms"
        let offline = int(t, "offline_minutes", at: "adms", minimum: 1, maximum: 10_080) ?? 10
        var devices: [ADMSDevice] = []
        if let value = t["device"] {
            if let array = value.array {
                for (i, element) in array.enumerated() {
                    let name = "adms.device[\(i + 1)]"
                    guard let d = element.table else { fail("adms.device", "must be written as [[adms.device]] tables"); continue }
                    checkKeys(d, at: name, allowed: ["serial", "reader", "offline_minutes"])
                    let serial = identifier(d, "serial", at: name, required: true)
                    let reader = identifier(d, "reader", at: name, required: true)
                    let own = int(d, "offline_minutes", at: name, minimum: 1, maximum: 10_080)
                    guard let serial, let reader else { continue }
                    guard ADMSRequest.isSerial(serial) else {
                        fail("\(name).serial", "\"\(serial)\" is not a device serial number (letters, digits, - and _; at most 64)")
                        continue
                    }
                    guard reader.count <= 64, !reader.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "|" || $0.value == 0x7f }) else {
                        fail("\(name).reader", "a reader id holds no tab, | or control character and at most 64 characters")
                        continue
                    }
                    if !readers.isEmpty, !readers.contains(where: { $0.id == reader }) {
                        fail("\(name).reader", "no [[reader]] has id \"\(reader)\"; the device's punches would be at a reader "
                             + "the rules do not know (known: \(readers.map(\.id).joined(separator: ", ")))")
                        continue
                    }
                    if devices.contains(where: { $0.serial == serial }) {
                        fail("\(name).serial", "device \"\(serial)\" is listed twice")
                        continue
                    }
                    devices.append(ADMSDevice(serial: serial, reader: reader, offlineMinutes: own))
                }
            } else {
                fail("adms.device", "must be written as [[adms.device]] tables")
            }
        }
        if devices.isEmpty {
            fail("adms.device", "no [[adms.device]]: list each reader that pushes (serial = \"…\", reader = \"…\"); "
                 + "a device not listed is refused")
        }
        return ADMSConfig(host: host, port: port, journal: resolve(journalText), journalDisplay: journalText,
                          offlineMinutes: offline, devices: devices)
    }

    /// `host:port` (an IPv6 host in brackets), or nil.
    static func hostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return (host, port)
    }
}
