import Foundation
import Logging
import Shared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brings a spool folder back to a consistent state after whatever stopped the last process.
///
/// The state always records a revision (number and digest) before its file is written, so a file
/// the state does not name was not written by this agent: it is moved to `corrupt/` and never sent.
/// One already acknowledged (the process died between saving the state and removing it) or
/// superseded by a newer one is removed; one that does not read back is moved to `corrupt/` and its
/// date is derived again; a recorded revision whose file never got written is derived again.
struct SpoolRecovery {
    let folder: URL
    let logger: Logger
    /// What was found wrong, as sentences.
    private(set) var problems: [String] = []

    init(folder: URL, logger: Logger) {
        self.folder = folder
        self.logger = logger
    }

    /// Recovers the folder and returns the state to continue from.
    mutating func run() throws(SpoolError) -> SpoolState {
        let stateURL = folder.appendingPathComponent("state.json")
        let corrupt = folder.appendingPathComponent("corrupt")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            try DurableFile.remove(folder.appendingPathComponent(name))
        }
        var state: SpoolState
        do {
            state = try SpoolState.load(from: stateURL)
        } catch {
            let target = Self.corruptTarget(for: stateURL, in: corrupt)
            try DurableFile.move(stateURL, to: target)
            report("the spool state did not read back (\(error)); set aside as \(target.path), rebuilt from the spool files")
            state = SpoolState()
        }
        let before = state
        let files = names.compactMap { SpooledSummary(url: folder.appendingPathComponent($0)) }.sorted()
        var valid: [CivilDate: [(SpooledSummary, DaySummary)]] = [:]
        for item in files {
            switch Self.read(item) {
            case .success(let summary):
                valid[item.date, default: []].append((item, summary))
            case .failure(let reason):
                let target = Self.corruptTarget(for: item.url, in: corrupt)
                try DurableFile.move(item.url, to: target)
                var record = state[item.date] ?? SpoolState.DateRecord(revision: item.revision)
                record.revision = max(record.revision, item.revision)
                record.digest = nil
                state[item.date] = record
                report("corrupt spool file \(item.url.lastPathComponent) (\(reason)) set aside as \(target.path); "
                       + "\(item.date) will be derived again")
            }
        }
        for (date, revisions) in valid {
            var kept = false
            for (item, summary) in revisions.sorted(by: { $0.0.revision > $1.0.revision }) {
                let record = state[date]
                if !kept, let record, record.revision == item.revision, record.digest == summary.digest,
                   !(record.acknowledged == item.revision && record.acknowledgedDigest == summary.digest) {
                    kept = true  // the recorded revision, not yet acknowledged: waits to be sent
                } else if let record, item.revision < record.revision
                            || (record.acknowledged == item.revision && record.acknowledgedDigest == summary.digest) {
                    try DurableFile.remove(item.url)  // acknowledged, or superseded by a newer revision
                } else {
                    let target = Self.corruptTarget(for: item.url, in: corrupt)
                    try DurableFile.move(item.url, to: target)
                    report("spool file \(item.url.lastPathComponent) was not written by this agent (state.json has no record "
                           + "of that revision and digest); set aside as \(target.path), not sent")
                }
            }
            if !kept { valid[date] = nil }
        }
        // A revision produced but neither acknowledged, set aside nor on disk (its file removed by hand,
        // or the process died between removing an acknowledged file and saving the state on a full
        // disk): the date is derived again so nothing the collector may lack is forgotten.
        for (key, record) in state.dates where record.digest != nil && record.rejected == nil
            && (record.acknowledged != record.revision || record.acknowledgedDigest != record.digest) {
            guard let date = CivilDate(key), valid[date] == nil else { continue }
            state.dates[key]?.digest = nil
            logger.notice("spooled revision missing; the date will be derived again",
                          metadata: ["duty.date": "\(date)", "duty.revision": "\(record.revision)"])
        }
        if state != before { try state.save(to: stateURL) }
        return state
    }

    private mutating func report(_ message: String) {
        problems.append(message)
        logger.error("spool recovery", metadata: ["duty.problem": "\(message)"])
    }

    /// Reads and checks one spool file: it decodes, its date and revision match its name, its digest
    /// matches its content.
    static func read(_ item: SpooledSummary) -> Result<DaySummary, ReadFailure> {
        let data: Data
        do { data = try boundedRead(item.url) } catch { return .failure(ReadFailure("unreadable: \(error)")) }
        if data.isEmpty { return .failure(ReadFailure("empty (truncated)")) }
        let summary: DaySummary
        do {
            summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        } catch {
            return .failure(ReadFailure("not a day summary (bad or truncated JSON)"))
        }
        guard summary.date == item.date, summary.revision == item.revision else {
            return .failure(ReadFailure("holds \(summary.date) r\(summary.revision), not what its name says"))
        }
        guard summary.contentDigest() == summary.digest else { return .failure(ReadFailure("digest mismatch")) }
        return .success(summary)
    }

    /// The bytes of `url`, refusing without reading it a file larger than `Spool.maxFileBytes`.
    static func boundedRead(_ url: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let data = try handle.read(upToCount: Spool.maxFileBytes + 1) ?? Data()
        if data.count > Spool.maxFileBytes {
            throw ReadFailure("larger than \(Spool.maxFileBytes >> 20) MiB, not a summary; not read")
        }
        return data
    }

    /// Why a spool file did not read back.
    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A free name in `corrupt/` for `url`.
    static func corruptTarget(for url: URL, in corrupt: URL) -> URL {
        let stamp = Int(Date().timeIntervalSince1970)
        var target = corrupt.appendingPathComponent("\(url.lastPathComponent).\(stamp)")
        var n = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = corrupt.appendingPathComponent("\(url.lastPathComponent).\(stamp)-\(n)")
            n += 1
        }
        return target
    }
}

/// An exclusive advisory lock on the spool (flock), released when the process ends, even by kill -9.
final class SpoolLock: Sendable {
    private let fd: Int32

    /// Takes the lock at `url` or throws `SpoolError.locked` when another process holds it.
    init(_ url: URL) throws(SpoolError) {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: url.path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .locked(path: url.deletingLastPathComponent().path)
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
