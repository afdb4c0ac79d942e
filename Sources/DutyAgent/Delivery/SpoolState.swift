import Foundation
import Shared

/// What the spool remembers across restarts (`state.json` in the spool folder, written atomically).
///
/// Per business date: the last revision produced and its digest, and the last revision the
/// collector acknowledged. A restart continues the revision numbers from here (and from the spool
/// files, which are written first), and a date whose content has not changed is not sent again.
struct SpoolState: Codable, Sendable, Equatable {
    /// One business date's history.
    struct DateRecord: Codable, Sendable, Equatable {
        /// The last revision produced (spooled).
        var revision: Int
        /// The digest of that revision; nil makes the next derivation a new revision (after a corrupt file).
        var digest: String?
        /// The last revision the collector acknowledged (2xx), and its digest.
        var acknowledged: Int?
        var acknowledgedDigest: String?
        /// When the latest revision was set aside (refused by the collector), why.
        var rejected: String?
    }

    static let currentVersion = 1

    var version: Int = SpoolState.currentVersion
    /// Keyed by `yyyy-MM-dd`.
    var dates: [String: DateRecord] = [:]
    /// The last time the collector answered (any HTTP status), and what it said.
    var lastContact: Date?
    var lastContactResult: String?
    /// The last failure to reach the collector (network error, 5xx), cleared by the next answer.
    var lastFailure: String?
    /// Why sending has stopped altogether (the token refused); nil when it has not.
    var blocked: String?
    /// Why the spool took no new date at its last try (full); nil when it is not full.
    var full: String?

    /// Whether this agent wrote `item` with `digest`: its date's record names that revision and
    /// digest (recorded before every write), or an acknowledged revision with that digest.
    func wrote(_ item: SpooledSummary, digest: String) -> Bool {
        guard let record = self[item.date] else { return false }
        return (record.revision == item.revision && record.digest == digest)
            || (record.acknowledged == item.revision && record.acknowledgedDigest == digest)
    }

    /// The record of `date`.
    subscript(date: CivilDate) -> DateRecord? {
        get { dates[date.description] }
        set { dates[date.description] = newValue }
    }

    /// The state stored at `url`; an empty state when there is none.
    /// Throws when the file exists but cannot be decoded (the caller sets it aside).
    static func load(from url: URL) throws -> SpoolState {
        guard FileManager.default.fileExists(atPath: url.path) else { return SpoolState() }
        let data = try SpoolRecovery.boundedRead(url)
        return try DaySummary.decoder.decode(SpoolState.self, from: data)
    }

    /// Writes the state to `url` atomically.
    func save(to url: URL) throws(SpoolError) {
        let data: Data
        do {
            let encoder = DaySummary.canonicalEncoder
            encoder.outputFormatting.insert(.prettyPrinted)
            data = try encoder.encode(self)
        } catch {
            fatalError("SpoolState is always encodable: \(error)")
        }
        try DurableFile.write(data, to: url)
    }
}
