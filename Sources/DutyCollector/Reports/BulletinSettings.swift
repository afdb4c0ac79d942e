import ConfigSupport
import Foundation
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
    /// - Throws: `LocatedErrors` with every problem found.
    init(toml: String, file: String) throws {
        let document: TOMLDocument
        do {
            document = try TOMLDocument.parse(text: toml, file: file)
        } catch {
            throw LocatedErrors([error])
        }
        let (settings, problems) = Self.read(document)
        guard problems.isEmpty else { throw LocatedErrors(problems) }
        self = settings
    }

    /// Reads the `[bulletin]` table of a config already parsed (the collector's, read once);
    /// defaults when the table is absent. Keys read: `repeat_late_early`, `repeat_absent`,
    /// `repeat_off_post`, `organization`, `office`, `document_number`, `timezone`.
    ///
    /// Every problem is collected, each naming the file, the line and the key; a bad value keeps
    /// its default. Settings with problems must not be used.
    static func read(_ document: TOMLDocument) -> (settings: BulletinSettings, problems: [LocatedError]) {
        var settings = BulletinSettings()
        var problems: [LocatedError] = []
        guard let value = document.root["bulletin"] else { return (settings, []) }
        guard let table = value.table else {
            return (settings, [document.problem("bulletin", "must be a table")])
        }
        let known: Set = ["repeat_late_early", "repeat_absent", "repeat_off_post", "organization", "office",
                          "document_number", "timezone"]
        for key in table.keys.sorted() where !known.contains(key) {
            problems.append(document.problem("bulletin.\(key)", "unknown key (expected one of: \(known.sorted().joined(separator: ", ")))"))
        }
        func count(_ key: String) -> Int? {
            guard let v = table[key] else { return nil }
            guard v.type == .int, let n = v.int, n >= 1 else {
                problems.append(document.problem("bulletin.\(key)", "must be a whole number of at least 1"))
                return nil
            }
            return n
        }
        func text(_ key: String) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                problems.append(document.problem("bulletin.\(key)", "must be a non-empty string"))
                return nil
            }
            return s
        }
        settings.repeatLateEarly = count("repeat_late_early") ?? settings.repeatLateEarly
        settings.repeatAbsent = count("repeat_absent") ?? settings.repeatAbsent
        settings.repeatOffPost = count("repeat_off_post") ?? settings.repeatOffPost
        settings.organization = text("organization")
        settings.office = text("office")
        settings.documentNumber = text("document_number") ?? settings.documentNumber
        if let zone = text("timezone") {
            if TimeZone(identifier: zone) != nil {
                settings.timeZone = zone
            } else {
                problems.append(document.problem("bulletin.timezone", "unknown time zone \(zone)"))
            }
        }
        return (settings, problems)
    }

    /// The configured zone (falls back to UTC+8 if the name is unknown to this system).
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    /// The keys of the `[bulletin]` table, whatever the encoder.
    enum CodingKeys: String, CodingKey {
        case repeatLateEarly = "repeat_late_early", repeatAbsent = "repeat_absent", repeatOffPost = "repeat_off_post"
        case organization, office, documentNumber = "document_number", timeZone = "timezone"
    }
}
