import Foundation
import Shared

/// Writes day summaries inside the caller's transaction, the same SQL on both databases.
///
/// Each (agent, date) row is inserted if absent, otherwise locked (`FOR UPDATE` on PostgreSQL, the
/// database write lock on SQLite) and compared: a newer revision replaces the summary, its unit
/// figures, its anomalies and its day punches; the same revision and digest is `.unchanged`; anything else `.stale`.
/// Review decisions live in their own table keyed by anomaly id and are never touched here.
enum SummaryWriter {
    /// The anomalies table's columns, in `PreparedSummary.anomalyRows` order.
    static let anomalyColumns = ["agent", "date", "id", "revision", "unit", "person", "name", "kind", "minutes",
                                 "severity", "excused", "reason", "shift", "body", "suspected"]

    /// Stores several summaries in the caller's transaction with the effect of storing them one
    /// after another in order, in few statements: the new (agent, date) rows in one, the rest
    /// claimed one by one, then every stored summary's unit figures and anomalies in multi-row
    /// statements and the agents' contacts in one (those `known` does not hold to within
    /// `contactResolution`). Returns the outcomes, in order, and what the batch wrote of units'
    /// tree rows and contacts, for the caller to learn once the transaction commits.
    static func storeBatch(_ batch: [PreparedSummary], in session: any SQLSession,
                           known: WriterMemory) async throws -> (outcomes: [StoreOutcome], learned: WriterMemory) {
        let keys = batch.map { $0.agent + "\u{1F}" + $0.date }
        var firsts: [Int] = []
        var seenKeys: Set<String> = []
        for (i, key) in keys.enumerated() where seenKeys.insert(key).inserted { firsts.append(i) }
        let inserted = try await insertNew(firsts.map { batch[$0] }, in: session)
        let insertedAt = Set(firsts.filter { inserted.contains(keys[$0]) })

        var outcomes: [StoreOutcome] = []
        var contact: [String: Date] = [:]
        // Keyed by (agent, date): a later revision in the batch replaces an earlier one's rows.
        var pending: [String: PreparedSummary] = [:]
        var order: [String] = []
        // By bytes: a unit spelled two ways (NFC and not) needs its tree rows in both spellings.
        var units: [[UInt8]: UnitPath] = [:]
        for (i, summary) in batch.enumerated() {
            let outcome = insertedAt.contains(i) ? .stored : try await claim(summary, in: session)
            outcomes.append(outcome)
            contact[summary.agent] = max(contact[summary.agent] ?? summary.receivedAt, summary.receivedAt)
            guard outcome == .stored else { continue }
            if pending.updateValue(summary, forKey: keys[i]) == nil { order.append(keys[i]) }
            for u in summary.units { units[Array(u.description.utf8)] = u }
        }
        let stored = order.map { pending[$0]! }
        let added = try await insertClosure(units.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value),
                                            in: session, knownUnits: known.units)
        try await insertRows(units: stored.flatMap(\.unitRows), anomalies: stored.flatMap(\.anomalyRows), in: session)
        let due = contact.filter { agent, at in
            known.contacts[agent].map { at.timeIntervalSince($0) >= contactResolution } ?? true
        }
        try await touch(due, in: session)
        return (outcomes, WriterMemory(units: Set(added), contacts: due))
    }

    /// How far an agent's recorded last contact may trail its latest summary: a batch leaves the
    /// contact alone when this writer recorded one less than this before. An agent catching up
    /// on a backlog sends many summaries a second; each batch updated its row (on PostgreSQL
    /// also locking it, so concurrent batches of one agent queued behind each other's commits).
    static let contactResolution: TimeInterval = 1

    /// Inserts or replaces the (agent, date)'s summary row when `s` is new or newer, deleting the
    /// older revision's unit figures and anomalies; the caller then inserts `s`'s rows.
    static func claim(_ s: PreparedSummary, in session: any SQLSession) async throws -> StoreOutcome {
        let inserted = try await session.query("""
            INSERT INTO summaries (agent, date, revision, digest, site, generated_at, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent, date) DO NOTHING RETURNING revision
            """, [.text(s.agent), .text(s.date), .int(s.revision), .text(s.digest), .text(s.site),
                  .time(s.generatedAt), .time(s.receivedAt), .text(s.body)])
        guard inserted.isEmpty else { return .stored }
        let key: [SQLValue] = [.text(s.agent), .text(s.date)]
        guard let row = try await session.query(
            "SELECT revision, digest FROM summaries WHERE agent = ? AND date = ?" + session.dialect.forUpdate, key).first
        else { throw StoreError.conflict("summary \(s.agent) \(s.date) vanished while being replaced") }
        let (revision, digest) = (row.int(0), row.text(1))
        if s.revision == revision && s.digest == digest { return .unchanged }
        guard s.revision > revision else { return .stale(storedRevision: revision, storedDigest: digest) }
        try await session.query("""
            UPDATE summaries SET revision = ?, digest = ?, site = ?, generated_at = ?, received_at = ?, body = ?
            WHERE agent = ? AND date = ?
            """, [.int(s.revision), .text(s.digest), .text(s.site), .time(s.generatedAt), .time(s.receivedAt),
                  .text(s.body)] + key)
        try await session.query("DELETE FROM unit_days WHERE agent = ? AND date = ?", key)
        try await session.query("DELETE FROM anomalies WHERE agent = ? AND date = ?", key)
        return .stored
    }

    /// Inserts the summary rows of those of `summaries` whose (agent, date) has none yet, in
    /// multi-row statements; returns the keys (`agent` U+001F `date`) inserted, which are stored.
    /// The others go through `claim` one by one. `summaries` must not repeat a key.
    static func insertNew(_ summaries: [PreparedSummary], in session: any SQLSession) async throws -> Set<String> {
        let rows = try await session.insert(
            into: "summaries", columns: ["agent", "date", "revision", "digest", "site", "generated_at", "received_at", "body"],
            rows: summaries.map { s in
                [.text(s.agent), .text(s.date), .int(s.revision), .text(s.digest), .text(s.site), .time(s.generatedAt),
                 .time(s.receivedAt), .text(s.body)]
            },
            suffix: "ON CONFLICT (agent, date) DO NOTHING RETURNING agent, date")
        return Set(rows.map { $0.text(0) + "\u{1F}" + $0.text(1) })
    }

    /// Inserts unit_days and anomalies rows (of one summary or of a whole batch), a few multi-row
    /// statements per table. Day punches (wire format 3) are kept in the summary's body only: the
    /// anomaly page reads them from there with the person's other anomalies.
    static func insertRows(units: [[SQLValue]], anomalies: [[SQLValue]], in session: any SQLSession) async throws {
        try await session.insert(
            into: "unit_days", columns: ["agent", "date", "unit", "scheduled", "present", "excused", "unverified"],
            rows: units)
        try await session.insert(into: "anomalies", columns: anomalyColumns, rows: anomalies)
    }

    /// Moves the agent's last contact forward to `at` (never back).
    static func touch(agent: String, at: Date, in session: any SQLSession) async throws {
        try await session.query(
            "UPDATE agents SET last_contact = ? WHERE id = ? AND (last_contact IS NULL OR last_contact < ?)",
            [.time(at), .text(agent), .time(at)])
    }

    /// Moves several agents' last contact forward (never back) in one statement.
    ///
    /// On PostgreSQL the agents' rows are first locked in the order of their ids: the UPDATE alone
    /// locks them in whatever order its plan visits them (the heap's, which every update moves),
    /// so two batch transactions sharing agents deadlocked, one of them waiting a second
    /// (`deadlock_timeout`) before its retry; with two collectors over one database the ingest
    /// fell to 67-257 summaries/s (BENCHMARKS.md, run 5).
    static func touch(_ contacts: [String: Date], in session: any SQLSession) async throws {
        guard !contacts.isEmpty else { return }
        let sorted = contacts.sorted { $0.key < $1.key }
        if session.dialect == .postgres {
            let marks = Array(repeating: "?", count: sorted.count).joined(separator: ", ")
            try await session.query("SELECT id FROM agents WHERE id IN (\(marks)) ORDER BY id FOR UPDATE",
                                    sorted.map { .text($0.key) })
        }
        let values = Array(repeating: "(?, ?)", count: sorted.count).joined(separator: ", ")
        try await session.query("""
            UPDATE agents SET last_contact = CASE WHEN agents.last_contact IS NULL OR agents.last_contact < v.column2
                THEN v.column2 ELSE agents.last_contact END
            FROM (VALUES \(values)) AS v WHERE agents.id = v.column1
            """, sorted.flatMap { [SQLValue.text($0.key), .time($0.value)] })
    }

    /// Adds the units not yet known to the tree: each unit's path once in `units`, and one
    /// `unit_links` row of ids per ancestor (the unit itself at depth 0). Returns those units' paths
    /// as UTF-8 bytes.
    static func insertClosure(_ units: [UnitPath], in session: any SQLSession,
                              knownUnits: Set<[UInt8]>) async throws -> [[UInt8]] {
        // The cache holds bytes, as the database compares: a path in another normalisation form
        // (stored before the edge normalised) is another key, so it neither hides its NFC twin nor
        // is hidden by it; and bytes hash without the normalising that String keys cost.
        let added = units.filter { !knownUnits.contains(Array($0.description.utf8)) }
        guard !added.isEmpty else { return [] }
        var paths: [[UInt8]: String] = [:]
        for u in added { for ancestor in u.lineage { paths[Array(ancestor.description.utf8)] = ancestor.description } }
        // Sorted (by bytes, as the database compares), so concurrent collectors take the rows'
        // locks in the same order.
        let sorted = paths.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
        try await session.insert(into: "units", columns: ["path"], rows: sorted.map { [.text($0)] },
                                 suffix: "ON CONFLICT (path) DO NOTHING")
        // By bytes: two spellings of one name are two rows (see above), which String keys would merge.
        var ids: [[UInt8]: Int] = [:]
        var start = 0
        while start < sorted.count {
            let chunk = sorted[start..<min(sorted.count, start + 500)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try await session.query("SELECT path, id FROM units WHERE path IN (\(marks))", chunk.map { .text($0) }) {
                ids[Array(row.text(0).utf8)] = row.int(1)
            }
            start += chunk.count
        }
        var rows: [[SQLValue]] = []
        for u in added {
            let lineage = u.lineage
            guard let unit = ids[Array(u.description.utf8)] else { throw StoreError.conflict("unit \(u) vanished while being added") }
            for (i, ancestor) in lineage.enumerated() {
                guard let id = ids[Array(ancestor.description.utf8)] else {
                    throw StoreError.conflict("unit \(ancestor) vanished while being added")
                }
                rows.append([.int(unit), .int(id), .int(lineage.count - 1 - i)])
            }
        }
        try await session.insert(into: "unit_links", columns: ["unit_id", "ancestor_id", "depth"], rows: rows,
                                 suffix: "ON CONFLICT (unit_id, ancestor_id) DO NOTHING")
        return added.map { Array($0.description.utf8) }
    }
}

/// What a store's writer knows the database holds from its own committed transactions: the units
/// whose tree rows are there (their paths' UTF-8 bytes) and the last contact it recorded for each
/// agent. A batch skips writing them again. Learned only after a commit; another collector's
/// writes are not known, which costs at most a write that changes nothing.
struct WriterMemory: Sendable {
    var units: Set<[UInt8]> = []
    var contacts: [String: Date] = [:]

    mutating func learn(_ more: WriterMemory) {
        units.formUnion(more.units)
        contacts.merge(more.contacts) { max($0, $1) }
    }
}
