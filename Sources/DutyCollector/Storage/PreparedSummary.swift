import Foundation
import Shared

/// A day summary turned into rows, outside any transaction (JSON encoding and row building run on
/// the caller's task, in parallel, not while the database is locked).
struct PreparedSummary: Sendable {
    var agent: String
    /// The business date, `yyyy-MM-dd`.
    var date: String
    var revision: Int
    var digest: String
    var site: String
    var generatedAt: Date
    var receivedAt: Date
    /// The whole summary as canonical JSON.
    var body: String
    /// unit_days rows: agent, date, unit, scheduled, present, excused, unverified.
    var unitRows: [[SQLValue]]
    /// anomalies rows, in `SummaryWriter.anomalyColumns` order.
    var anomalyRows: [[SQLValue]]
    /// Every unit named and its ancestors, sorted.
    var units: [UnitPath]

    init(_ summary: DaySummary, receivedAt: Date) throws {
        let encoder = DaySummary.canonicalEncoder
        agent = summary.agent
        date = summary.date.description
        revision = summary.revision
        digest = summary.digest
        site = summary.site
        generatedAt = summary.generatedAt
        self.receivedAt = receivedAt
        let key: [SQLValue] = [.text(agent), .text(date)]

        // Several entries for one unit (not expected from an agent) are added up, not lost.
        var figures: [String: UnitDayFigures] = [:]
        var order: [String] = []
        for u in summary.units {
            let unit = u.unit.description
            if var f = figures[unit] {
                f.scheduled += u.scheduled; f.present += u.present; f.excused += u.excused; f.unverified += u.unverified
                figures[unit] = f
            } else {
                figures[unit] = u
                order.append(unit)
            }
        }
        unitRows = order.map { unit in
            let f = figures[unit]!
            return key + [.text(unit), .int(f.scheduled), .int(f.present), .int(f.excused), .int(f.unverified)]
        }

        // Each anomaly is encoded once: its JSON is its row's body and a piece of the summary's body.
        var pieces: [String] = []
        pieces.reserveCapacity(summary.anomalies.count)
        for a in summary.anomalies { pieces.append(try String(decoding: encoder.encode(a), as: UTF8.self)) }
        body = try PreparedSummary.body(of: summary, anomalies: pieces, encoder: encoder)

        // An id repeated within one summary is the same anomaly twice; the first is kept.
        var seen: Set<String> = []
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(summary.anomalies.count)
        for (a, json) in zip(summary.anomalies, pieces) where seen.insert(a.id).inserted {
            rows.append(key + [.text(a.id), .int(summary.revision), .text(a.unit.description), .text(a.person),
                               .text(a.name), .text(a.kind.rawValue), .int(a.minutes), .text(a.severity.rawValue),
                               .int(a.excused ? 1 : 0), .text(a.reason), .text(a.shift), .text(json)])
        }
        anomalyRows = rows

        var all: Set<UnitPath> = []
        for unit in summary.units.map(\.unit) + summary.anomalies.map(\.unit) {
            for u in unit.lineage where !u.components.isEmpty { all.insert(u) }
        }
        // Sorted, so concurrent collectors take the closure rows' locks in the same order.
        units = all.sorted()
    }

    /// The summary's canonical JSON, with the anomalies' already-encoded JSON spliced in: the same
    /// bytes as encoding the whole summary. With sorted keys `"anomalies"` is the object's second
    /// key, after `"agent"`, whose string value cannot contain an unescaped quote.
    static func body(of summary: DaySummary, anomalies: [String], encoder: JSONEncoder) throws -> String {
        var rest = summary
        rest.anomalies = []
        let shell = try String(decoding: encoder.encode(rest), as: UTF8.self)
        guard let hole = shell.range(of: #""anomalies":[]"#) else {
            return try String(decoding: encoder.encode(summary), as: UTF8.self)
        }
        return shell.replacingCharacters(in: hole, with: #""anomalies":["# + anomalies.joined(separator: ",") + "]")
    }
}
