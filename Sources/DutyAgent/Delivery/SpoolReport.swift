import Foundation
import Shared

/// What a spool holds, read without taking its lock or changing anything (for `status`, while a
/// daemon may be running on it).
struct SpoolReport: Sendable, Codable {
    /// A summary set aside by the collector's refusal.
    struct SetAside: Sendable, Codable {
        var file: String
        var reason: String
    }

    var folder: String
    var state: SpoolState
    /// Waiting to be sent, as `<date> r<revision>`, in date order.
    var waiting: [String]
    var setAside: [SetAside]
    /// Files moved to `corrupt/`.
    var corrupt: [String]
    /// Bytes counted against `spool_max_mb` (waiting summaries and the state).
    var usedBytes: Int64
    var maxBytes: Int64
    /// Bytes in `rejected/` and `corrupt/`, not counted.
    var setAsideBytes: Int64 = 0

    /// Reads the spool at `folder`; a missing folder reads as empty.
    static func read(folder: URL, maxBytes: Int64) -> SpoolReport {
        let fm = FileManager.default
        let state = (try? SpoolState.load(from: folder.appendingPathComponent("state.json"))) ?? SpoolState()
        let names = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        let waiting = names.compactMap { SpooledSummary(url: folder.appendingPathComponent($0)) }.sorted()
        let rejected = folder.appendingPathComponent("rejected")
        let setAside = ((try? fm.contentsOfDirectory(atPath: rejected.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let reason = (try? String(contentsOf: rejected.appendingPathComponent(name + ".reason.txt"), encoding: .utf8)) ?? "no reason recorded"
            return SetAside(file: name, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let corrupt = ((try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent("corrupt").path)) ?? []).sorted()
        return SpoolReport(folder: folder.path, state: state, waiting: waiting.map { "\($0.date) r\($0.revision)" },
                           setAside: setAside, corrupt: corrupt, usedBytes: Spool.usage(of: folder), maxBytes: maxBytes,
                           setAsideBytes: Spool.setAsideUsage(of: folder))
    }

    /// Dates the collector acknowledged (their latest content).
    var acknowledgedDates: Int {
        state.dates.values.filter { $0.acknowledged != nil && $0.acknowledgedDigest == $0.digest }.count
    }
}
