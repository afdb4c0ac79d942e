import ConfigSupport
import Foundation
import ConfigSupport
import TOMLKit

/// What the monthly bulletin counts as a repeat case and how it names its issuer.
///
/// Read from the `[bulletin]` table of the collector config:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `repeat_late_early` | 3 | late + early leave in the month that make a repeat case |
/// | `repeat_absent` | 1 | absences in the month that make a repeat case |
/// | `repeat_off_post` | 1 | off-post cases in the month that make a repeat case |
/// | `organization` | the top unit's name | the issuing body in the red header |
/// | `office` | `<organization>办公室` | the office that signs the bulletin |
/// | `document_number` | `办通〔{year}〕{month}号` | the 文号 line; `{year}` and `{month}` are filled in |
/// | `timezone` | `Asia/Shanghai` | the zone whose calendar decides "today" and the days elapsed |
struct BulletinSettings: Equatable, Sendable, Codable {
    var repeatLateEarly = 3
    var repeatAbsent = 1
    var repeatOffPost = 1
    var organization: String?
    var office: String?
    var documentNumber = "办通〔{year}〕{month}号"
    var timeZone = "Asia/Shanghai"

    init() {}

    /// Reads the `[bulletin]` table of `toml`; `file` names the source in errors.
    init(toml: String, file: String) throws(LocatedError) {
        try self.init(document: TOMLDocument.parse(text: toml, file: file))
    }

    /// Reads the `[bulletin]` table of a config already parsed (the collector's, read once);
    /// defaults when the table is absent. Keys read: `repeat_late_early`, `repeat_absent`,
    /// `repeat_off_post`, `organization`, `office`, `document_number`, `timezone`.
    /// - Throws: `LocatedError` naming the file, the line and the key.
    init(document: TOMLDocument) throws(LocatedError) {
        let root = document.root
        self.init()
        guard let value = root["bulletin"] else { return }
        guard let table = value.table else {
            throw document.problem("bulletin", "must be a table")
        }
        let known: Set = ["repeat_late_early", "repeat_absent", "repeat_off_post", "organization", "office",
                          "document_number", "timezone"]
        for key in table.keys where !known.contains(key) {
            throw document.problem("bulletin.\(key)", "unknown key")
        }
        func count(_ key: String) throws(LocatedError) -> Int? {
            guard let v = table[key] else { return nil }
            guard let n = v.int, n >= 1 else {
                throw document.problem("bulletin.\(key)", "must be a whole number of at least 1")
            }
            return n
        }
        func text(_ key: String) throws(LocatedError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw document.problem("bulletin.\(key)", "must be a non-empty string")
            }
            return s
        }
        repeatLateEarly = try count("repeat_late_early") ?? repeatLateEarly
        repeatAbsent = try count("repeat_absent") ?? repeatAbsent
        repeatOffPost = try count("repeat_off_post") ?? repeatOffPost
        organization = try text("organization")
        office = try text("office")
        documentNumber = try text("document_number") ?? documentNumber
        if let zone = try text("timezone") {
            guard TimeZone(identifier: zone) != nil else {
                throw document.problem("bulletin.timezone", "unknown time zone \(zone)")
            }
            timeZone = zone
        }
    }

    /// The configured zone (falls back to UTC+8 if the name is unknown to this system).
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    /// The keys of the `[bulletin]` table, whatever the encoder.
    enum CodingKeys: String, CodingKey {
        case repeatLateEarly = "repeat_late_early", repeatAbsent = "repeat_absent", repeatOffPost = "repeat_off_post"
        case organization, office, documentNumber = "document_number", timeZone = "timezone"
    }
}
