import Foundation
import Shared

/// A `CollectorStore` over SQL: the implementations supply transactions, this supplies every
/// statement, so SQLite and PostgreSQL run the same migrations and the same queries.
protocol SQLBackedStore: CollectorStore {
    /// Runs `body` in one read transaction (a consistent snapshot).
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T
    /// Runs one reading statement on its own (a statement is its own snapshot; no BEGIN/COMMIT).
    func select(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// The database's dialect.
    var dialect: SQLDialect { get }
}

extension SQLBackedStore {
    func addAgent(_ agent: AgentRecord) async throws {
        let prefixes = try String(decoding: JSONEncoder().encode(agent.unitPrefixes.map(\.description)), as: UTF8.self)
        try await write { s in
            if let other = try await s.query("SELECT id FROM agents WHERE token_hash = ? AND id <> ?",
                                             [.text(agent.tokenHash), .text(agent.id)]).first {
                throw StoreError.conflict("another agent (\(other.text(0))) has this token")
            }
            // A revoked id may be registered again (a new token); a live one may not.
            // Idempotent: this transaction may run twice (PostgreSQL retries an attempt whose COMMIT
            // answer was lost, though the COMMIT may have been made). The token hash is random and
            // chosen by the caller: a live agent with this id, this token and this registration
            // time is this very registration, already written.
            if try await !s.query("""
                SELECT 1 FROM agents WHERE id = ? AND token_hash = ? AND created_at = ? AND revoked_at IS NULL
                """, [.text(agent.id), .text(agent.tokenHash), .time(agent.createdAt)]).isEmpty {
                return
            }
            let rows = try await s.query("""
                INSERT INTO agents (id, unit_prefixes, token_hash, created_at, revoked_at, last_contact)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET unit_prefixes = excluded.unit_prefixes, token_hash = excluded.token_hash,
                    created_at = excluded.created_at, revoked_at = excluded.revoked_at
                WHERE agents.revoked_at IS NOT NULL
                RETURNING id
                """, [.text(agent.id), .text(prefixes), .text(agent.tokenHash), .time(agent.createdAt),
                      .time(agent.revokedAt), .time(agent.lastContact)])
            if rows.isEmpty { throw StoreError.conflict("agent \(agent.id) exists") }
        }
    }

    func agent(tokenHash: String) async throws -> AgentRecord? {
        try await select(Self.agentColumns + " WHERE token_hash = ?", [.text(tokenHash)]).first.map(Self.agentRecord)
    }

    func agents() async throws -> [AgentRecord] {
        try await select(Self.agentColumns + " ORDER BY id", []).map(Self.agentRecord)
    }

    func revokeAgent(id: String, at: Date) async throws -> Bool {
        try await write { s in
            // Revoking twice keeps the first time.
            let rows = try await s.query(
                "UPDATE agents SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING id", [.time(at), .text(id)])
            return !rows.isEmpty
        }
    }

    func touchAgent(id: String, at: Date) async throws {
        try await write { s in try await SummaryWriter.touch(agent: id, at: at, in: s) }
    }

    func review(_ decision: ReviewDecision) async throws -> Bool {
        try await write { s in
            guard try await !s.query("SELECT 1 FROM anomalies WHERE id = ? LIMIT 1", [.text(decision.anomalyID)]).isEmpty
            else { return false }
            let values: [SQLValue] = [.text(decision.anomalyID), .text(decision.state.rawValue), .text(decision.note),
                                      .text(decision.by), .time(decision.at)]
            // Idempotent: this transaction may run twice for one decision (PostgreSQL retries an
            // attempt whose COMMIT answer was lost, though the COMMIT may have been made). The audit
            // row is the decision's record: when it is there, the decision was written, and the review
            // is not written again either (a later decision by someone else may have replaced it).
            // Two decisions identical to the millisecond, by the same reviewer, are one decision.
            if try await !s.query("""
                SELECT 1 FROM audit_log WHERE anomaly_id = ? AND state = ? AND note = ? AND reviewer = ? AND decided_at = ?
                LIMIT 1
                """, values).isEmpty {
                return true
            }
            try await s.query("""
                INSERT INTO reviews (anomaly_id, state, note, reviewer, decided_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (anomaly_id) DO UPDATE SET state = excluded.state, note = excluded.note,
                    reviewer = excluded.reviewer, decided_at = excluded.decided_at
                """, values)
            try await s.query(
                "INSERT INTO audit_log (anomaly_id, state, note, reviewer, decided_at) VALUES (?, ?, ?, ?, ?)", values)
            // The month's count of decisions, in the same transaction: the figures of that month
            // (and of the month after, which compares with it) are built again, no other month's.
            try await s.query("""
                INSERT INTO review_months (month, decisions)
                SELECT DISTINCT SUBSTR(date, 1, 7), 1 FROM anomalies WHERE id = ?
                ON CONFLICT (month) DO UPDATE SET decisions = review_months.decisions + 1
                """, [.text(decision.anomalyID)])
            return true
        }
    }

    func auditLog(anomalyID: String?) async throws -> [ReviewDecision] {
        let sql = "SELECT anomaly_id, state, note, reviewer, decided_at FROM audit_log"
        let rows = if let anomalyID {
            try await select(sql + " WHERE anomaly_id = ? ORDER BY seq", [.text(anomalyID)])
        } else {
            try await select(sql + " ORDER BY seq", [])
        }
        return rows.map { r in
            ReviewDecision(anomalyID: r.text(0), state: ReviewState(rawValue: r.text(1)) ?? .open, note: r.text(2),
                           by: r.text(3), at: r.time(4) ?? Date(timeIntervalSince1970: 0))
        }
    }

    func summary(agent: String, date: CivilDate) async throws -> DaySummary? {
        let body = try await select("SELECT body FROM summaries WHERE agent = ? AND date = ?",
                                    [.text(agent), .text(date.description)]).first?.text(0)
        guard let body else { return nil }
        // Stored bodies are canonical, so the byte-level reader takes them; `JSONDecoder` otherwise.
        let data = Data(body.utf8)
        if let summary = data.withUnsafeBytes({ SummaryWireDecoding.decode($0) }) { return summary }
        return try DaySummary.decoder.decode(DaySummary.self, from: data)
    }

    func dataStamp(from: CivilDate, to: CivilDate) async throws -> DataStamp {
        // One pass over the summaries of the dates (by their date index), the count of review
        // decisions on the anomalies of their months (`review_months`: a decision on another month's
        // anomaly leaves these figures as they were) and the small agents table (added, revoked,
        // registered again, last contact).
        let row = try await select("""
            SELECT COUNT(*), CAST(COALESCE(SUM(revision), 0) AS BIGINT), COALESCE(MAX(received_at), 0),
                   (SELECT CAST(COALESCE(SUM(decisions), 0) AS BIGINT) FROM review_months WHERE month >= ? AND month <= ?),
                   (SELECT COUNT(*) FROM agents), (SELECT COUNT(revoked_at) FROM agents),
                   (SELECT COALESCE(MAX(revoked_at), 0) FROM agents), (SELECT COALESCE(MAX(last_contact), 0) FROM agents),
                   (SELECT COALESCE(MAX(created_at), 0) FROM agents)
            FROM summaries WHERE date >= ? AND date <= ?
            """, [.text(String(from.description.prefix(7))), .text(String(to.description.prefix(7))),
                  .text(from.description), .text(to.description)]).first
        guard let row else { return DataStamp(summaries: "", reviews: 0, agents: "", contact: 0) }
        return DataStamp(summaries: "\(row.int(0))/\(row.int(1))/\(row.int(2))", reviews: row.int(3),
                         agents: "\(row.int(4))/\(row.int(5))/\(row.int(6))/\(row.int(8))", contact: row.int(7))
    }

    static var agentColumns: String {
        "SELECT id, unit_prefixes, token_hash, created_at, revoked_at, last_contact FROM agents"
    }

    @Sendable static func agentRecord(_ r: SQLRow) -> AgentRecord {
        let prefixes = (try? JSONDecoder().decode([String].self, from: Data(r.text(1).utf8))) ?? []
        return AgentRecord(id: r.text(0), unitPrefixes: prefixes.map(UnitPath.init), tokenHash: r.text(2),
                           createdAt: r.time(3) ?? Date(timeIntervalSince1970: 0), revokedAt: r.time(4),
                           lastContact: r.time(5))
    }
}
