import Foundation
import Logging
import Shared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A summary file waiting in the spool: `<date>.r<revision>.json`.
struct SpooledSummary: Sendable, Hashable, Comparable {
    var date: CivilDate
    var revision: Int
    var url: URL

    init(date: CivilDate, revision: Int, url: URL) {
        self.date = date
        self.revision = revision
        self.url = url
    }

    /// The file name of a date's revision.
    static func fileName(date: CivilDate, revision: Int) -> String { "\(date).r\(revision).json" }

    /// Parses a spool file name; nil for anything else (temporary files, the state, folders).
    init?(url: URL) {
        let name = url.lastPathComponent
        guard name.hasSuffix(".json"), name.count > 17, let date = CivilDate(String(name.prefix(10))) else { return nil }
        let middle = name.dropFirst(10).dropLast(5)
        guard middle.hasPrefix(".r"), let revision = Int(middle.dropFirst(2)), revision > 0 else { return nil }
        self.date = date
        self.revision = revision
        self.url = url
    }

    static func < (a: SpooledSummary, b: SpooledSummary) -> Bool { (a.date, a.revision) < (b.date, b.revision) }
}

/// The durable outbox of day summaries: a folder where each summary is written (temp file, fsync,
/// rename, fsync of the folder) before any send and removed only after the collector's 2xx.
///
/// Layout: `<date>.r<revision>.json` pending summaries, `state.json` (`SpoolState`), `corrupt/`
/// (files that failed to read back, set aside), `rejected/` (summaries the collector refused, each
/// with a `.reason.txt`), and `lock`, held by the one process that uses the spool.
actor Spool {
    /// What `offer` did with a summary.
    enum OfferResult: Equatable, Sendable {
        /// The date's content has not changed since its last revision: nothing written.
        case unchanged
        /// Written as this revision.
        case spooled(revision: Int)
        /// Not written: the spool is full (its size bound or the disk). Nothing was dropped.
        case full(String)
    }

    nonisolated let folder: URL
    nonisolated let maxBytes: Int64
    let logger: Logger
    private(set) var state: SpoolState
    /// Problems found when the spool was opened (corrupt files set aside), for the log and status.
    nonisolated let problemsAtOpen: [String]
    /// Whether some date must be derived again at opening (its file was corrupt or missing): the
    /// scanner then judges every date instead of resuming from its saved input state.
    nonisolated let derivesAgainAtOpen: Bool
    private let lock: SpoolLock?

    var stateURL: URL { folder.appendingPathComponent("state.json") }
    var corruptFolder: URL { folder.appendingPathComponent("corrupt") }
    var rejectedFolder: URL { folder.appendingPathComponent("rejected") }

    /// Opens (creating if needed) the spool at `folder`, takes its lock, and recovers from whatever a
    /// crash left: temporary files are removed, corrupt files set aside, superseded and already
    /// acknowledged revisions removed, and revisions written after the last state save adopted.
    init(folder: URL, maxBytes: Int64, logger: Logger, takeLock: Bool = true) throws(SpoolError) {
        self.folder = folder
        self.maxBytes = maxBytes
        self.logger = logger
        try DurableFile.makeFolder(folder, mode: 0o700)
        try DurableFile.makeFolder(folder.appendingPathComponent("corrupt"))
        try DurableFile.makeFolder(folder.appendingPathComponent("rejected"))
        lock = takeLock ? try SpoolLock(folder.appendingPathComponent("lock")) : nil
        var recovery = SpoolRecovery(folder: folder, logger: logger)
        state = try recovery.run()
        problemsAtOpen = recovery.problems
        derivesAgainAtOpen = state.dates.values.contains { $0.digest == nil }
    }

    /// Spools `summary` as the next revision of its date unless its digest equals the last one produced.
    func offer(_ summary: DaySummary) throws(SpoolError) -> OfferResult {
        let record = state[summary.date]
        if let record, record.digest == summary.digest { return .unchanged }
        let revision = max(record?.revision ?? 0, record?.acknowledged ?? 0) + 1
        var numbered = summary
        numbered.revision = revision
        let data = Self.encode(numbered)
        let older = pending().filter { $0.date == summary.date }
        let freed = older.reduce(Int64(0)) { $0 + Self.size(of: $1.url) }
        let used = usage()
        if used - freed + Int64(data.count) > maxBytes {
            return markFull("the spool \(folder.path) is full: \(used / 1024) KiB used of \(maxBytes / 1024) KiB (spool_max_mb)")
        }
        let url = folder.appendingPathComponent(SpooledSummary.fileName(date: summary.date, revision: revision))
        // The record of this agent's own write is saved before the file: a summary file the state does
        // not name with its revision and digest was not written here and is never sent.
        let before = state
        state[summary.date] = SpoolState.DateRecord(revision: revision, digest: summary.digest,
                                                    acknowledged: record?.acknowledged,
                                                    acknowledgedDigest: record?.acknowledgedDigest)
        state.full = nil
        do {
            try saveState()
            try DurableFile.write(data, to: url)
        } catch where error.isNoSpace {
            state = before
            return markFull("the disk of the spool \(folder.path) is full: \(error)")
        }
        for old in older { try DurableFile.remove(old.url) }
        logger.info("summary spooled", metadata: ["duty.date": "\(summary.date)", "duty.revision": "\(revision)"])
        return .spooled(revision: revision)
    }

    /// The summaries waiting to be sent, in date order.
    func pending() -> [SpooledSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { SpooledSummary(url: folder.appendingPathComponent($0)) }.sorted()
    }

    /// Reads a waiting summary back. A file that does not decode, does not match its name or its
    /// digest is moved to `corrupt/` and its date marked to be derived again; one this agent did not
    /// write (the state has no record of its revision and digest) is moved to `corrupt/` and its date
    /// left as it was; nil then.
    func load(_ item: SpooledSummary) -> DaySummary? {
        switch SpoolRecovery.read(item) {
        case .success(let summary):
            guard state.wrote(item, digest: summary.digest) else {
                setAsideForeign(item)
                return nil
            }
            return summary
        case .failure(let reason):
            setAsideCorrupt(item, reason: reason.description)
            return nil
        }
    }

    /// The collector has `item` (2xx), or the same content as `revision` (a 409 naming our digest):
    /// remembered first, then the file removed.
    func acknowledge(_ item: SpooledSummary, digest: String, at time: Date, result: String,
                     revision: Int? = nil) throws(SpoolError) {
        var record = state[item.date] ?? SpoolState.DateRecord(revision: item.revision, digest: digest)
        record.acknowledged = revision ?? item.revision
        record.acknowledgedDigest = digest
        record.revision = max(record.revision, revision ?? item.revision)
        record.rejected = nil
        state[item.date] = record
        noteAnswer(at: time, result: result)
        do {
            try saveState()
            try DurableFile.remove(item.url)
        } catch where error.isNoSpace {
            // A full disk must not stop the spool from emptying: the file goes first. Should the process
            // die before the state is saved, the date's content is still known by its digest and not resent.
            try DurableFile.remove(item.url)
            try saveState()
        }
        logger.info("summary acknowledged", metadata: ["duty.date": "\(item.date)", "duty.revision": "\(item.revision)"])
    }

    /// The collector refused `item` for good: moved to `rejected/` with a reason file; kept, never resent
    /// unless its date's content changes (or someone moves it back into the spool folder).
    func setAside(_ item: SpooledSummary, reason: String, at time: Date) throws(SpoolError) {
        let target = rejectedFolder.appendingPathComponent(item.url.lastPathComponent)
        try DurableFile.write(Data((reason + "\n").utf8),
                              to: rejectedFolder.appendingPathComponent(item.url.lastPathComponent + ".reason.txt"))
        try DurableFile.move(item.url, to: target)
        state[item.date]?.rejected = reason
        noteAnswer(at: time, result: "refused \(item.date) r\(item.revision)")
        try saveState()
        logger.error("summary set aside", metadata: ["duty.date": "\(item.date)", "duty.revision": "\(item.revision)",
                                                     "duty.file": "\(target.path)", "duty.reason": "\(reason)"])
    }

    /// The collector holds a newer or different revision (409): `summary` is written again as the
    /// revision after the stored one, the old file removed; returns the new file.
    func renumber(_ item: SpooledSummary, _ summary: DaySummary, above stored: Int) throws(SpoolError) -> SpooledSummary {
        var numbered = summary
        numbered.revision = stored + 1
        let url = folder.appendingPathComponent(SpooledSummary.fileName(date: item.date, revision: stored + 1))
        var record = state[item.date] ?? SpoolState.DateRecord(revision: 0, digest: summary.digest)
        record.revision = max(record.revision, stored + 1)
        record.digest = summary.digest
        state[item.date] = record
        try saveState()  // the record first, as in `offer`
        try DurableFile.write(Self.encode(numbered), to: url)
        try DurableFile.remove(item.url)
        logger.notice("summary renumbered", metadata: ["duty.date": "\(item.date)", "duty.revision": "\(stored + 1)"])
        return SpooledSummary(date: item.date, revision: stored + 1, url: url)
    }

    /// The collector answered with an HTTP status (any): last contact.
    func noteAnswer(at time: Date, result: String) {
        state.lastContact = time
        state.lastContactResult = result
        state.lastFailure = nil
    }

    /// The collector could not be reached or failed (network, 5xx): kept for status.
    func noteFailure(_ message: String) {
        state.lastFailure = message
        try? saveState()
    }

    /// Sending has stopped (token refused) or resumed (nil).
    func noteBlocked(_ message: String?) {
        guard state.blocked != message else { return }
        state.blocked = message
        try? saveState()
    }

    /// Bytes counted against `spool_max_mb`: the files in the spool folder itself. What was set aside
    /// (`rejected/`, `corrupt/`) is kept for a person to look at and does not stop new days.
    func usage() -> Int64 { Self.usage(of: folder) }

    // MARK: Internals

    private func markFull(_ message: String) -> OfferResult {
        if state.full == nil {
            logger.critical("spool full: no new day is taken until space returns", metadata: ["duty.file": "\(folder.path)"])
        }
        state.full = message
        try? saveState()
        return .full(message)
    }

    private func setAsideCorrupt(_ item: SpooledSummary, reason: String) {
        let target = SpoolRecovery.corruptTarget(for: item.url, in: corruptFolder)
        try? DurableFile.move(item.url, to: target)
        var record = state[item.date] ?? SpoolState.DateRecord(revision: item.revision)
        record.revision = max(record.revision, item.revision)
        record.digest = nil
        state[item.date] = record
        try? saveState()
        logger.error("corrupt spool file set aside; the date will be derived again",
                     metadata: ["duty.date": "\(item.date)", "duty.revision": "\(item.revision)",
                                "duty.file": "\(target.path)", "duty.reason": "\(reason)"])
    }

    /// A well-formed summary this agent did not write: kept in `corrupt/` for a person to look at, never sent.
    private func setAsideForeign(_ item: SpooledSummary) {
        let target = SpoolRecovery.corruptTarget(for: item.url, in: corruptFolder)
        try? DurableFile.move(item.url, to: target)
        logger.error("spool file not written by this agent set aside, not sent",
                     metadata: ["duty.date": "\(item.date)", "duty.revision": "\(item.revision)", "duty.file": "\(target.path)"])
    }

    private func saveState() throws(SpoolError) { try state.save(to: stateURL) }

    static func encode(_ summary: DaySummary) -> Data {
        do { return try DaySummary.canonicalEncoder.encode(summary) } catch { fatalError("DaySummary is always encodable: \(error)") }
    }

    static func size(of url: URL) -> Int64 {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return 0 }
        return Int64(info.st_size)
    }

    /// The largest spool file read back: a summary is a few KiB to a few MiB; anything larger in the
    /// spool is junk and is set aside without being read into memory.
    static let maxFileBytes = 64 << 20

    /// Bytes of the files directly in `folder` (the summaries waiting, the state, anything else put
    /// there): what counts against `spool_max_mb`. The set-aside folders are not counted.
    static func usage(of folder: URL) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.reduce(Int64(0)) { $0 + size(of: folder.appendingPathComponent($1)) }
    }

    /// Bytes of everything set aside under `folder` (`rejected/`, `corrupt/`), not counted against the bound.
    static func setAsideUsage(of folder: URL) -> Int64 {
        ["rejected", "corrupt"].reduce(Int64(0)) { total, sub in
            let url = folder.appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return total + names.reduce(Int64(0)) { $0 + size(of: url.appendingPathComponent($1)) }
        }
    }
}
