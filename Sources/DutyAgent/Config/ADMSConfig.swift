import Foundation

/// `[adms]`: the receiver of ZKTeco readers that push their punches in real time (ADMS, the
/// device menu's "cloud server"), and `[[adms.device]]`, the devices it accepts.
struct ADMSConfig: Sendable, Hashable {
    /// `listen`: the address and port the receiver listens on (default `0.0.0.0:8081`).
    var host: String
    var port: Int
    /// `journal`: the folder of received punches (default `adms`), one file per reader, read like
    /// any badge file; it also holds the devices' state file.
    var journal: URL
    /// `journal` as the config wrote it, for the journal files' names in reports.
    var journalDisplay: String
    /// `offline_minutes`: a device silent for longer is offline (default 10).
    var offlineMinutes: Int
    var devices: [ADMSDevice]

    /// The device with serial number `serial`, if listed.
    func device(serial: String) -> ADMSDevice? { devices.first { $0.serial == serial } }

    /// The journal file of `reader`: `<reader>_adms.dat` (characters other than letters, digits,
    /// `.`, `_` and `-` replaced, with a hash of the id then, so two ids never share a file).
    func journalFile(reader: String) -> URL { journal.appendingPathComponent(Self.journalName(reader: reader)) }

    static func journalName(reader: String) -> String {
        let safe = reader.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
            && !reader.hasPrefix(".")
        if safe { return "\(reader)_adms.dat" }
        let hash = FNV1a.of(reader.utf8)
        let cleaned = String(reader.unicodeScalars.map {
            $0.isASCII && CharacterSet.alphanumerics.contains($0) ? Character($0) : "_"
        }.prefix(32))
        return "\(cleaned)-\(String(hash, radix: 16))_adms.dat"
    }

    /// How long `device` may stay silent before it is offline: its `offline_minutes`, else
    /// `[adms] offline_minutes`; the environment variable `DUTY_AGENT_ADMS_OFFLINE_SECONDS`
    /// overrides both (for trials and tests that cannot wait minutes).
    func offlineLimit(_ device: ADMSDevice) -> TimeInterval {
        if let s = ProcessInfo.processInfo.environment["DUTY_AGENT_ADMS_OFFLINE_SECONDS"].flatMap(Double.init), s > 0 { return s }
        return TimeInterval((device.offlineMinutes ?? offlineMinutes) * 60)
    }

    /// Whether `name` is a journal file's name.
    static func isJournalName(_ name: String) -> Bool { name.hasSuffix("_adms.dat") && !name.hasPrefix(".") }

    /// The devices' state file (calls, outages, clock drift, refused serials): hidden, so that a
    /// `badges` glob over the folder never takes it for a badge file.
    var stateFile: URL { journal.appendingPathComponent(".devices.json") }

    /// The journal files present now, as badge inputs.
    func journalInputs() -> [InputFile] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: journal.path)) ?? [])
            .filter(Self.isJournalName).sorted()
        let prefix = journalDisplay.hasSuffix("/") ? journalDisplay : journalDisplay + "/"
        return names.map { InputFile(url: journal.appendingPathComponent($0), display: prefix + $0) }
    }
}

/// `[[adms.device]]`: one reader that pushes.
struct ADMSDevice: Sendable, Hashable {
    /// `serial`: the SN the device sends (letters, digits, `-`, `_`; at most 64).
    var serial: String
    /// `reader`: the `[[reader]]` id it is (its punches carry it).
    var reader: String
    /// `offline_minutes`: this device's own limit, else `[adms] offline_minutes`.
    var offlineMinutes: Int?
}
