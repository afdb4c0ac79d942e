import Foundation
import Shared

/// The read side: roll-ups, filters and counts, each computed by the database with GROUP BY over the
/// unit closure table, never by walking every row in Swift.
extension SQLBackedStore {
    /// Anomalies charged to the person: not excused by leave (the agent) nor by HR (a review); a
    /// suspected one only once HR has confirmed it.
    static var charged: String {
        "a.excused = 0 AND ((a.suspected = 0 AND (r.state IS NULL OR r.state <> 'excused'))"
            + " OR (a.suspected <> 0 AND r.state = 'confirmed'))"
    }

    /// `column` held to 0...`limit` row by row before it is summed: the edge refuses figures out
    /// of these bounds, but a row stored before it did (or written by hand) must not make a sum
    /// overflow, which fails the report on both databases (and traps in Swift). With every row
    /// bounded, no sum of a real store's rows comes near 2^63.
    static func bounded(_ column: String, _ limit: Int) -> String {
        "CASE WHEN \(column) < 0 THEN 0 WHEN \(column) > \(limit) THEN \(limit) ELSE \(column) END"
    }

    /// The sum of `column` over the group, each row bounded by `limit`, as a 64-bit integer.
    static func boundedSum(_ column: String, _ limit: Int) -> String {
        "CAST(SUM(\(bounded(column, limit))) AS BIGINT)"
    }

    func unitFigures(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [UnitFigures] {
        let (count, minutes) = (FigureLimits.maxCount, FigureLimits.maxMinutes)
        var binds: [SQLValue] = [.text(from.description), .text(to.description)]
        var subtree = "", inner = "", anomalyInner = ""
        if let under {
            // Narrowed inside (only the subtree's rows are summed) and outside (only its ancestors reported).
            inner = " AND unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            anomalyInner = " AND a.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            subtree = " AND c.ancestor IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            binds += [.text(under.description), .text(under.description)]
        }
        // Each unit's rows are summed first (a few hundred groups), each row held to its bounds,
        // then rolled up the closure table: joining every row to each of its ancestors first cost
        // 4 rows per row at depth 4.
        let figuresSQL = """
            SELECT c.ancestor, CAST(SUM(u.scheduled) AS BIGINT), CAST(SUM(u.present) AS BIGINT),
                   CAST(SUM(u.excused) AS BIGINT), CAST(SUM(u.unverified) AS BIGINT)
            FROM (SELECT unit, \(Self.boundedSum("scheduled", count)) AS scheduled, \(Self.boundedSum("present", count)) AS present,
                         \(Self.boundedSum("excused", count)) AS excused, \(Self.boundedSum("unverified", count)) AS unverified
                  FROM unit_days WHERE date >= ? AND date <= ?\(inner) GROUP BY unit) u
            JOIN unit_closure c ON c.unit = u.unit
            WHERE 1 = 1\(subtree)
            GROUP BY c.ancestor
            """
        let kindsSQL = """
            SELECT c.ancestor, x.kind, CAST(SUM(x.n) AS BIGINT), CAST(SUM(x.minutes) AS BIGINT)
            FROM (SELECT a.unit, a.kind, COUNT(*) AS n, \(Self.boundedSum("a.minutes", minutes)) AS minutes
                  FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
                  WHERE a.date >= ? AND a.date <= ? AND \(Self.charged)\(anomalyInner)
                  GROUP BY a.unit, a.kind) x
            JOIN unit_closure c ON c.unit = x.unit
            WHERE 1 = 1\(subtree)
            GROUP BY c.ancestor, x.kind
            """
        let values = binds
        let (figureRows, kindRows) = try await read { s in
            (try await s.query(figuresSQL, values), try await s.query(kindsSQL, values))
        }
        // Keyed by the path as Swift compares it (canonical equivalence): units stored in two
        // normalisation forms before the edge kept them in NFC are added up as the one unit they
        // are, in NFC, instead of one hiding the other.
        var byUnit: [String: UnitFigures] = [:]
        func empty(_ text: String) -> UnitFigures {
            UnitFigures(unit: UnitPath(text).nfc, scheduled: 0, present: 0, excused: 0, unverified: 0, kinds: [:])
        }
        for r in figureRows {
            var f = byUnit[r.text(0)] ?? empty(r.text(0))
            f.scheduled += r.int(1); f.present += r.int(2); f.excused += r.int(3); f.unverified += r.int(4)
            byUnit[r.text(0)] = f
        }
        for r in kindRows {
            guard let kind = AnomalyKind(rawValue: r.text(1)) else { continue }
            var f = byUnit[r.text(0)] ?? empty(r.text(0))
            f.kinds[kind, default: KindFigures()].count += r.int(2)
            f.kinds[kind, default: KindFigures()].minutes += r.int(3)
            byUnit[r.text(0)] = f
        }
        return byUnit.values.sorted { $0.unit < $1.unit }
    }

    func anomalies(_ filter: AnomalyFilter) async throws -> [StoredAnomaly] {
        var (conditions, binds) = Self.conditions(filter)
        var sql = """
            SELECT a.agent, a.revision, a.body, r.state, r.note, r.reviewer, r.decided_at, a.excused
            FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
            """
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        let c = dialect.byteOrder
        // Suspected anomalies first: they wait for HR to say what happened.
        sql += filter.newestFirst
            ? " ORDER BY a.suspected DESC, a.date DESC, a.unit\(c), a.person\(c), a.kind, a.id, a.agent"
            : " ORDER BY a.suspected DESC, a.date, a.unit\(c), a.person\(c), a.kind, a.id, a.agent"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            binds.append(.int(max(0, limit)))
        }
        if filter.offset > 0 {
            // SQLite takes OFFSET only after a LIMIT (-1: none); PostgreSQL refuses a negative one.
            sql += filter.limit == nil && dialect == .sqlite ? " LIMIT -1 OFFSET ?" : " OFFSET ?"
            binds.append(.int(filter.offset))
        }
        let rows = try await select(sql, binds)
        let decoder = DaySummary.decoder
        return try rows.map { r in
            StoredAnomaly(agent: r.text(0), revision: r.int(1),
                          anomaly: try decoder.decode(Anomaly.self, from: Data(r.text(2).utf8)),
                          review: ReviewState.effective(leaveExcused: r.int(7) != 0,
                                                        decision: r.optionalText(3).flatMap(ReviewState.init(rawValue:))),
                          reviewNote: r.optionalText(4), reviewedBy: r.optionalText(5), reviewedAt: r.time(6))
        }
    }

    func countAnomalies(_ filter: AnomalyFilter) async throws -> Int {
        let (conditions, binds) = Self.conditions(filter)
        var sql = "SELECT COUNT(*) FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return try await select(sql, binds).first?.int(0) ?? 0
    }

    func anomaly(id: String) async throws -> StoredAnomaly? {
        let row = try await select("""
            SELECT a.agent, a.revision, a.body, r.state, r.note, r.reviewer, r.decided_at, a.excused
            FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id WHERE a.id = ? ORDER BY a.date DESC LIMIT 1
            """, [.text(id)]).first
        guard let r = row else { return nil }
        return StoredAnomaly(agent: r.text(0), revision: r.int(1),
                             anomaly: try DaySummary.decoder.decode(Anomaly.self, from: Data(r.text(2).utf8)),
                             review: ReviewState.effective(leaveExcused: r.int(7) != 0,
                                                        decision: r.optionalText(3).flatMap(ReviewState.init(rawValue:))),
                             reviewNote: r.optionalText(4), reviewedBy: r.optionalText(5), reviewedAt: r.time(6))
    }

    /// The WHERE conditions of `filter` over `anomalies a LEFT JOIN reviews r`, and their binds.
    static func conditions(_ filter: AnomalyFilter) -> ([String], [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let under = filter.under {
            conditions.append("a.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)")
            binds.append(.text(under.description))
        }
        if let within = filter.within {
            if within.isEmpty {
                conditions.append("1 = 0")
            } else {
                let marks = within.map { _ in "?" }.joined(separator: ", ")
                conditions.append("a.unit IN (SELECT unit FROM unit_closure WHERE ancestor IN (\(marks)))")
                binds += within.map { .text($0.description) }
            }
        }
        if let person = filter.person {
            conditions.append("(a.person = ? OR a.name = ?)")
            binds += [.text(person), .text(person)]
        }
        if let personID = filter.personID {
            conditions.append("a.person = ?")
            binds.append(.text(personID))
        }
        if let kind = filter.kind {
            conditions.append("a.kind = ?")
            binds.append(.text(kind.rawValue))
        }
        if let from = filter.from {
            conditions.append("a.date >= ?")
            binds.append(.text(from.description))
        }
        if let to = filter.to {
            conditions.append("a.date <= ?")
            binds.append(.text(to.description))
        }
        if let state = filter.state {
            // The effective state (see `ReviewState.effective`): leave excuses an anomaly whatever a review says.
            switch state {
            case .open: conditions.append("(a.excused = 0 AND (r.state IS NULL OR r.state = ?))")
            case .confirmed: conditions.append("(a.excused = 0 AND r.state = ?)")
            case .excused: conditions.append("(a.excused <> 0 OR r.state = ?)")
            }
            binds.append(.text(state.rawValue))
        }
        if !filter.includeLeaveExcused { conditions.append("a.excused = 0") }
        if !filter.includeUnconfirmedSuspected { conditions.append("(a.suspected = 0 OR r.state = 'confirmed')") }
        if let suspected = filter.suspected { conditions.append(suspected ? "a.suspected <> 0" : "a.suspected = 0") }
        if let minimum = filter.minSeverity {
            let graver = Severity.allCases.filter { $0 >= minimum }
            conditions.append("a.severity IN (" + graver.map { _ in "?" }.joined(separator: ", ") + ")")
            binds += graver.map { .text($0.rawValue) }
        }
        if let severity = filter.severity {
            conditions.append("a.severity = ?")
            binds.append(.text(severity.rawValue))
        }
        return (conditions, binds)
    }

    func reviewCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> ReviewCounts {
        var binds: [SQLValue] = [.text(from.description), .text(to.description)]
        var subtree = ""
        if let under {
            subtree = " AND a.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            binds.append(.text(under.description))
        }
        let sql = """
            SELECT CASE WHEN a.excused <> 0 THEN 'leave' WHEN r.state IS NULL THEN 'open' ELSE r.state END, COUNT(*)
            FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
            WHERE a.date >= ? AND a.date <= ? AND (a.suspected = 0 OR r.state = 'confirmed')\(subtree)
            GROUP BY 1
            """
        var counts = ReviewCounts()
        for r in try await select(sql, binds) {
            switch r.text(0) {
            case "leave": counts.leaveExcused += r.int(1); counts.excused += r.int(1)
            case ReviewState.confirmed.rawValue: counts.confirmed += r.int(1)
            case ReviewState.excused.rawValue: counts.excused += r.int(1)
            default: counts.open += r.int(1)
            }
        }
        return counts
    }

    func unjudgedDays(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [AgentDay] {
        var binds: [SQLValue] = [.text(from.description), .text(to.description)]
        var subtree = ""
        if let under {
            subtree = " AND u.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            binds.append(.text(under.description))
        }
        let sql = """
            SELECT u.agent, u.date FROM unit_days u
            WHERE u.date >= ? AND u.date <= ?\(subtree)
            GROUP BY u.agent, u.date
            HAVING SUM(u.scheduled) > 0 AND SUM(u.unverified) >= SUM(u.scheduled)
            ORDER BY u.date, u.agent
            """
        return try await select(sql, binds).compactMap { r in
            CivilDate(r.text(1)).map { AgentDay(agent: r.text(0), date: $0) }
        }
    }

    func agentHealth(from: CivilDate, to: CivilDate) async throws -> [AgentHealth] {
        let (agentRows, lastRows, dateRows) = try await read { s in
            (try await s.query(Self.agentColumns + " ORDER BY id"),
             try await s.query("SELECT agent, MAX(date), MAX(received_at) FROM summaries GROUP BY agent"),
             try await s.query("SELECT agent, date FROM summaries WHERE date >= ? AND date <= ? ORDER BY agent, date",
                               [.text(from.description), .text(to.description)]))
        }
        var last: [String: (CivilDate?, Date?)] = [:]
        for r in lastRows { last[r.text(0)] = (CivilDate(r.text(1)), r.time(2)) }
        var dates: [String: [CivilDate]] = [:]
        for r in dateRows { if let d = CivilDate(r.text(1)) { dates[r.text(0), default: []].append(d) } }
        return agentRows.map(Self.agentRecord).map { agent in
            AgentHealth(agent: agent, lastSummaryDate: last[agent.id]?.0, lastSummaryAt: last[agent.id]?.1,
                        datesReceived: dates[agent.id] ?? [])
        }
    }

    func personCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [PersonKindCount] {
        var binds: [SQLValue] = [.text(from.description), .text(to.description)]
        var subtree = ""
        if let under {
            subtree = " AND a.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)"
            binds.append(.text(under.description))
        }
        let sql = """
            SELECT a.person, MAX(a.name), a.unit, a.kind, COUNT(*), \(Self.boundedSum("a.minutes", FigureLimits.maxMinutes))
            FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
            WHERE a.date >= ? AND a.date <= ? AND \(Self.charged)\(subtree)
            GROUP BY a.person, a.unit, a.kind
            ORDER BY a.person\(dialect.byteOrder), a.unit\(dialect.byteOrder), a.kind
            """
        let rows = try await select(sql, binds)
        // Units repeat across people: parse each path once.
        var paths: [String: UnitPath] = [:]
        return rows.compactMap { r in
            guard let kind = AnomalyKind(rawValue: r.text(3)) else { return nil }
            let text = r.text(2)
            let unit = paths[text] ?? UnitPath(text)
            paths[text] = unit
            return PersonKindCount(person: r.text(0), name: r.text(1), unit: unit, kind: kind, count: r.int(4), minutes: r.int(5))
        }
    }
}
