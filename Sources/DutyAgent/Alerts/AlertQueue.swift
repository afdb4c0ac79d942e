import Foundation
import Logging
import Shared

/// Alerts waiting for their targets, on disk: `<queue>/<target>/pending/` and `sent/`, one JSON file
/// an alert named `<sequence>-<alert id>.json`.
///
/// - An alert is written durably (temp file, fsync, rename, fsync of the folder) before any send.
/// - Its identity is the alert's stable id: a target that has the id in `pending/` or `sent/` never
///   takes it again, so judging again after a restart enqueues nothing twice.
/// - The sequence number orders a target's alerts: they are sent in that order.
/// - After the vendor's success the file is renamed into `sent/` (durably). A crash between the
///   success and that rename sends the alert once more at the next start (at least once).
/// - Sent alerts older than `keep_days` are removed; their ids are forgotten then, which is safe
///   because no instance stays in progress that long.
actor AlertQueue {
    /// One queued alert.
    struct Entry: Sendable, Codable, Equatable {
        var alert: DutyAlert
        /// When it was queued.
        var queued: Date
    }

    /// One file of a target's queue.
    struct Item: Sendable, Equatable {
        var file: URL
        var sequence: Int
        var entry: Entry
    }

    let folder: URL
    let targets: [AlertTarget]
    let logger: Logger
    /// The ids each target has (pending or sent), by queue key.
    private var known: [String: Set<String>] = [:]
    /// The next sequence number by queue key.
    private var next: [String: Int] = [:]

    /// Opens (creating if needed) the queue folder and reads what each target has.
    init(folder: URL, targets: [AlertTarget], logger: Logger) throws(SpoolError) {
        self.folder = folder
        self.targets = targets
        self.logger = logger
        try DurableFile.makeFolder(folder, mode: 0o700)
        var known: [String: Set<String>] = [:]
        var next: [String: Int] = [:]
        for t in targets {
            let base = folder.appendingPathComponent(t.queueKey)
            try DurableFile.makeFolder(base.appendingPathComponent("pending"))
            try DurableFile.makeFolder(base.appendingPathComponent("sent"))
            var ids = Set<String>()
            var high = 0
            for sub in ["pending", "sent"] {
                for name in Self.names(base.appendingPathComponent(sub)) {
                    guard let (sequence, id) = Self.parse(name) else { continue }
                    ids.insert(id)
                    high = max(high, sequence)
                }
            }
            known[t.queueKey] = ids
            next[t.queueKey] = high + 1
        }
        self.known = known
        self.next = next
    }

    /// Queues every alert for every target that wants it and does not have it yet, in the order
    /// given; returns how many files were written.
    @discardableResult
    func enqueue(_ alerts: [DutyAlert], now: Date = Date()) throws(SpoolError) -> Int {
        var written = 0
        for alert in alerts {
            for t in targets where t.wants(alert) && !(known[t.queueKey]?.contains(alert.id) ?? false) {
                let sequence = next[t.queueKey] ?? 1
                let file = pendingFolder(t).appendingPathComponent(Self.name(sequence, alert.id))
                let data = (try? Self.encoder.encode(Entry(alert: alert, queued: now))) ?? Data()
                try DurableFile.write(data, to: file)
                known[t.queueKey, default: []].insert(alert.id)
                next[t.queueKey] = sequence + 1
                written += 1
                logger.info("alert queued", metadata: ["duty.alert": "\(alert.kind.rawValue)", "duty.alert.id": "\(alert.id)",
                                                       "duty.target": "\(t.name)"])
            }
        }
        return written
    }

    /// The target's first waiting alert; an unreadable file is moved to `corrupt/` and skipped.
    func first(for target: AlertTarget) -> Item? {
        let pending = pendingFolder(target)
        for name in Self.names(pending) {
            guard let (sequence, _) = Self.parse(name) else { continue }
            let file = pending.appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: file.path),
               let entry = try? Self.decoder.decode(Entry.self, from: data) {
                return Item(file: file, sequence: sequence, entry: entry)
            }
            let corrupt = folder.appendingPathComponent(target.queueKey).appendingPathComponent("corrupt")
            try? DurableFile.makeFolder(corrupt)
            try? DurableFile.move(file, to: corrupt.appendingPathComponent(name))
            logger.error("unreadable alert file set aside", metadata: ["duty.file": "\(file.path)"])
        }
        return nil
    }

    /// Marks `item` sent: renamed into `sent/`, durably.
    func markSent(_ item: Item, for target: AlertTarget) throws(SpoolError) {
        let sent = folder.appendingPathComponent(target.queueKey).appendingPathComponent("sent")
        try DurableFile.move(item.file, to: sent.appendingPathComponent(item.file.lastPathComponent))
    }

    /// Removes sent alerts older than `keepDays` (by the time they were sent).
    func prune(keepDays: Int, now: Date = Date()) {
        let limit = now.addingTimeInterval(-Double(keepDays) * 86_400)
        for t in targets {
            let sent = folder.appendingPathComponent(t.queueKey).appendingPathComponent("sent")
            for name in Self.names(sent) {
                let file = sent.appendingPathComponent(name)
                let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
                if let modified, modified < limit, let (_, id) = Self.parse(name) {
                    try? DurableFile.remove(file)
                    known[t.queueKey]?.remove(id)
                }
            }
        }
    }

    func pendingFolder(_ target: AlertTarget) -> URL {
        folder.appendingPathComponent(target.queueKey).appendingPathComponent("pending")
    }

    /// `000000000042-<id>.json`.
    static func name(_ sequence: Int, _ id: String) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits + "-\(id).json"
    }

    /// The sequence and id of a queue file name; nil for anything else (temporary files).
    static func parse(_ name: String) -> (Int, String)? {
        guard name.hasSuffix(".json"), !name.hasPrefix("."), let dash = name.firstIndex(of: "-"),
              let sequence = Int(name[..<dash]) else { return nil }
        return (sequence, String(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -5)]))
    }

    /// The file names in `folder`, sorted (so by sequence).
    static func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { parse($0) != nil }.sorted()
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}
