import Foundation
import Shared

/// Writes one day summary inside the caller's transaction, the same SQL on both databases.
///
/// The (agent, date) row is inserted if absent, otherwise locked (`FOR UPDATE` on PostgreSQL, the
/// database write lock on SQLite) and compared: a newer revision replaces the summary, its unit
/// figures and its anomalies; the same revision and digest is `.unchanged`; anything else `.stale`.
/// Review decisions live in their own table keyed by anomaly id and are never touched here.
enum SummaryWriter {
    /// Stores `summary`; `knownUnits` are units whose closure rows certainly exist (skipped).
    /// Returns the outcome and the units whose closure rows this call inserted. The caller records
    /// the agent's contact (`touch`) in the same transaction, once per agent for a batch.
    static func store(_ summary: DaySummary, receivedAt: Date, in session: any SQLSession,
                      knownUnits: Set<String>) async throws -> (StoreOutcome, newUnits: Set<String>) {
        let date = summary.date.description
        let body = try String(decoding: DaySummary.canonicalEncoder.encode(summary), as: UTF8.self)
        let inserted = try await session.query("""
            INSERT INTO summaries (agent, date, revision, digest, site, generated_at, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent, date) DO NOTHING RETURNING revision
            """, [.text(summary.agent), .text(date), .int(summary.revision), .text(summary.digest),
                  .text(summary.site), .time(summary.generatedAt), .time(receivedAt), .text(body)])
        var replacing = false
        if inserted.isEmpty {
            guard let row = try await session.query(
                "SELECT revision, digest FROM summaries WHERE agent = ? AND date = ?" + session.dialect.forUpdate,
                [.text(summary.agent), .text(date)]).first
            else { throw StoreError.conflict("summary \(summary.agent) \(date) vanished while being replaced") }
            let (revision, digest) = (row.int(0), row.text(1))
            if summary.revision == revision && summary.digest == digest { return (.unchanged, []) }
            guard summary.revision > revision else {
                return (.stale(storedRevision: revision, storedDigest: digest), [])
            }
            replacing = true
            try await session.query("""
                UPDATE summaries SET revision = ?, digest = ?, site = ?, generated_at = ?, received_at = ?, body = ?
                WHERE agent = ? AND date = ?
                """, [.int(summary.revision), .text(summary.digest), .text(summary.site), .time(summary.generatedAt),
                      .time(receivedAt), .text(body), .text(summary.agent), .text(date)])
        }
        let newUnits = try await insertClosure(for: summary, in: session, knownUnits: knownUnits)
        try await replaceRows(summary, date: date, replacing: replacing, in: session)
        return (.stored, newUnits)
    }

    /// Moves the agent's last contact forward to `at` (never back).
    static func touch(agent: String, at: Date, in session: any SQLSession) async throws {
        try await session.query(
            "UPDATE agents SET last_contact = ? WHERE id = ? AND (last_contact IS NULL OR last_contact < ?)",
            [.time(at), .text(agent), .time(at)])
    }

    /// Replaces the (agent, date)'s unit figures and anomalies with the summary's.
    private static func replaceRows(_ summary: DaySummary, date: String, replacing: Bool,
                                    in session: any SQLSession) async throws {
        let key: [SQLValue] = [.text(summary.agent), .text(date)]
        if replacing {
            try await session.query("DELETE FROM unit_days WHERE agent = ? AND date = ?", key)
            try await session.query("DELETE FROM anomalies WHERE agent = ? AND date = ?", key)
        }
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
        try await session.insert(
            into: "unit_days", columns: ["agent", "date", "unit", "scheduled", "present", "excused", "unverified"],
            rows: order.map { unit in
                let f = figures[unit]!
                return key + [.text(unit), .int(f.scheduled), .int(f.present), .int(f.excused), .int(f.unverified)]
            })
        let encoder = DaySummary.canonicalEncoder
        var seen: Set<String> = []
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(summary.anomalies.count)
        // An id repeated within one summary is the same anomaly twice; the first is kept.
        for a in summary.anomalies where seen.insert(a.id).inserted {
            let body = try String(decoding: encoder.encode(a), as: UTF8.self)
            rows.append(key + [.text(a.id), .int(summary.revision), .text(a.unit.description), .text(a.person),
                               .text(a.name), .text(a.kind.rawValue), .int(a.minutes), .text(a.severity.rawValue),
                               .int(a.excused ? 1 : 0), .text(a.reason), .text(a.shift), .text(body)])
        }
        try await session.insert(
            into: "anomalies",
            columns: ["agent", "date", "id", "revision", "unit", "person", "name", "kind", "minutes", "severity",
                      "excused", "reason", "shift", "body"],
            rows: rows)
    }

    /// Adds closure rows (unit, ancestor, depth) for every unit of the summary and their ancestors.
    private static func insertClosure(for summary: DaySummary, in session: any SQLSession,
                                      knownUnits: Set<String>) async throws -> Set<String> {
        var fresh: [UnitPath] = []
        var names: Set<String> = []
        for unit in summary.units.map(\.unit) + summary.anomalies.map(\.unit) {
            for u in unit.lineage where !u.components.isEmpty {
                let name = u.description
                if !knownUnits.contains(name), names.insert(name).inserted { fresh.append(u) }
            }
        }
        guard !fresh.isEmpty else { return [] }
        // Sorted, so concurrent collectors take the rows' locks in the same order.
        var rows: [[SQLValue]] = []
        for u in fresh.sorted() {
            let lineage = u.lineage
            for (i, ancestor) in lineage.enumerated() {
                rows.append([.text(u.description), .text(ancestor.description), .int(lineage.count - 1 - i)])
            }
        }
        try await session.insert(into: "unit_closure", columns: ["unit", "ancestor", "depth"], rows: rows,
                                 suffix: "ON CONFLICT (unit, ancestor) DO NOTHING")
        return names
    }
}
