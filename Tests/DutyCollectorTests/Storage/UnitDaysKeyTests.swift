import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// The unit figures are keyed by `(date, agent, unit)` and have no other index (migration 22): an
/// index led by the unit made each commit write a page per unit touched, most of the ingest's
/// cost. These tests hold the key, that the reads still find their rows through it, and that a
/// store migrated from version 21 keeps every figure.
@Suite("Unit figures keyed by date")
struct UnitDaysKeyTests {
    /// Three days over two units and two agents: the 3rd nobody was judged (all unverified), and
    /// agent a2's summary of the 2nd is replaced by a newer revision.
    static func load(_ store: any CollectorStore) async throws {
        let late = S.anomaly("p1", .late, unit: S.squad1, date: S.day(2))
        let stored: [(DaySummary, Int)] = [
            (S.summary(date: S.day(1), revision: 1, units: [S.squad1: (5, 5), S.squad2: (4, 3)]), 1),
            (S.summary(date: S.day(2), revision: 1, units: [S.squad1: (5, 4), S.squad2: (4, 4)], anomalies: [late]), 2),
            (S.summary(date: S.day(3), revision: 1, units: [S.squad1: (5, 0), S.squad2: (4, 0)]), 3),
            (S.summary(agent: "a2", date: S.day(2), revision: 1, units: [S.office: (3, 1)]), 4),
            (S.summary(agent: "a2", date: S.day(2), revision: 2, units: [S.office: (3, 2)]), 5),
        ]
        for (summary, at) in stored {
            #expect(try await store.store(summary, receivedAt: S.time(at)) == .stored)
        }
    }

    /// Everything the stores read from `unit_days`, over the whole month and under one unit.
    static func figures(_ store: any CollectorStore) async throws -> String {
        var lines: [String] = []
        for under in [nil, UnitPath(S.brigade), UnitPath(S.office)] {
            for f in try await store.unitFigures(from: S.day(1), to: S.day(30), under: under) {
                lines.append("\(under?.description ?? "all") \(f.unit) \(f.scheduled) \(f.present) \(f.excused) \(f.unverified) \(f.kinds.count)")
            }
            for d in try await store.unjudgedDays(from: S.day(1), to: S.day(30), under: under) {
                lines.append("\(under?.description ?? "all") unjudged \(d.agent) \(d.date)")
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("the figures and the unjudged days read the same before and after; the replaced revision's rows are gone",
          arguments: StorageBackend.available)
    func figuresThroughTheKey(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            try await Self.load(store)
            let byUnit = Dictionary(uniqueKeysWithValues: try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil)
                .map { ($0.unit.description, $0) })
            #expect(byUnit[S.squad1]?.scheduled == 15 && byUnit[S.squad1]?.present == 9)
            #expect(byUnit[S.office]?.present == 2, "a2's second revision replaced its first")
            #expect(byUnit[S.root]?.scheduled == 30)
            #expect(try await store.unjudgedDays(from: S.day(1), to: S.day(30), under: nil) == [AgentDay(agent: "a1", date: S.day(3))])
            #expect(try await store.unjudgedDays(from: S.day(1), to: S.day(2), under: nil).isEmpty)
        }
    }

    @Test("unit_days has its key (date, agent, unit) and no other index", arguments: StorageBackend.available)
    func keyAndNoOtherIndex(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            #expect(try await Self.keyColumns(sql) == ["date", "agent", "unit"])
            #expect(try await Self.otherIndexes(sql).isEmpty)
        }
    }

    @Test("the figures' date range and a summary's replacement find unit_days rows through the key",
          arguments: StorageBackend.available)
    func readsUseTheKey(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            try await Self.load(store)
            if sql.dialect == .postgres {
                // PostgreSQL plans by its statistics: 20,000 rows over 1,000 earlier dates, analysed,
                // make a month's rows few, which a key led by the date finds and a key led by
                // anything else does not (it would read the whole table).
                _ = try await sql.write { s in
                    try await s.query("""
                        INSERT INTO unit_days (agent, date, unit, scheduled, present, excused, unverified)
                        SELECT 'bulk' || (g % 20), to_char(DATE '2020-01-01' + g / 20, 'YYYY-MM-DD'), 'u' || (g % 20), 1, 1, 0, 0
                        FROM generate_series(0, 19999) AS g
                        """)
                }
                _ = try await sql.write { s in try await s.query("ANALYZE unit_days") }
            }
            let statements: [(String, [SQLValue])] = [
                ("SELECT unit, SUM(scheduled) FROM unit_days WHERE date >= ? AND date <= ? GROUP BY unit",
                 [.text(S.day(1).description), .text(S.day(30).description)]),
                ("""
                 SELECT unit, SUM(scheduled) FROM unit_days WHERE date >= ? AND date <= ?
                 AND unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?) GROUP BY unit
                 """, [.text(S.day(1).description), .text(S.day(30).description), .text(S.brigade)]),
                ("DELETE FROM unit_days WHERE agent = ? AND date = ?", [.text("a1"), .text(S.day(2).description)]),
            ]
            for (statement, binds) in statements {
                let plan = try await Self.plan(sql, statement, binds)
                switch sql.dialect {
                case .sqlite:
                    #expect(plan.contains("unit_days USING PRIMARY KEY (date"), "\(statement)\n\(plan)")
                case .postgres:
                    #expect(plan.contains("unit_days_pkey"), "\(statement)\n\(plan)")
                }
            }
        }
    }

    @Test("a store at version 21 migrates to the key and keeps every figure", arguments: StorageBackend.available)
    func migrationKeepsFigures(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            try await Self.load(store)
            let before = try await Self.figures(store)
            #expect(before.contains("unjudged a1 2026-11-03"))
            // Back to the table of version 1 (key (agent, date, unit), indexes by unit and by date).
            try await sql.write { s in
                switch s.dialect {
                case .sqlite:
                    try await s.query("""
                        CREATE TABLE unit_days_v1 (agent TEXT NOT NULL, date TEXT NOT NULL, unit TEXT NOT NULL,
                            scheduled BIGINT NOT NULL, present BIGINT NOT NULL, excused BIGINT NOT NULL,
                            unverified BIGINT NOT NULL, PRIMARY KEY (agent, date, unit))
                        """)
                    try await s.query("INSERT INTO unit_days_v1 SELECT agent, date, unit, scheduled, present, excused, unverified FROM unit_days")
                    try await s.query("DROP TABLE unit_days")
                    try await s.query("ALTER TABLE unit_days_v1 RENAME TO unit_days")
                case .postgres:
                    try await s.query("ALTER TABLE unit_days DROP CONSTRAINT unit_days_pkey, ADD CONSTRAINT unit_days_pkey PRIMARY KEY (agent, date, unit)")
                }
                try await s.query("CREATE INDEX unit_days_unit ON unit_days (unit, date)")
                try await s.query("CREATE INDEX unit_days_date ON unit_days (date)")
                try await s.query("DELETE FROM schema_migrations WHERE version = 22")
            }
            #expect(try await Self.keyColumns(sql) == ["agent", "date", "unit"])
            #expect(try await Self.otherIndexes(sql) == ["unit_days_date", "unit_days_unit"])

            let applied = try await sql.write { s in try await Migrations.apply(s, now: S.time(20)) }
            #expect(applied == [22])
            #expect(try await Self.keyColumns(sql) == ["date", "agent", "unit"])
            #expect(try await Self.otherIndexes(sql).isEmpty)
            #expect(try await Self.figures(store) == before)
            // And the migrated table takes new summaries and replacements as before.
            #expect(try await store.store(S.summary(date: S.day(3), revision: 2, units: [S.squad1: (5, 5), S.squad2: (4, 4)]),
                                          receivedAt: S.time(30)) == .stored)
            #expect(try await store.unjudgedDays(from: S.day(1), to: S.day(30), under: nil).isEmpty)
        }
    }

    /// The key's columns, in order.
    static func keyColumns(_ sql: any SQLBackedStore) async throws -> [String] {
        switch sql.dialect {
        case .sqlite:
            // `pk` is the column's place in the key, 0 for columns outside it.
            return try await sql.select("SELECT name, pk FROM pragma_table_info('unit_days') WHERE pk > 0 ORDER BY pk", [])
                .map { $0.text(0) }
        case .postgres:
            return try await sql.select("""
                SELECT a.attname FROM pg_index i
                JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = 'unit_days'::regclass AND i.indisprimary ORDER BY k.n
                """, []).map { $0.text(0) }
        }
    }

    /// The table's indexes other than its key, by name.
    static func otherIndexes(_ sql: any SQLBackedStore) async throws -> [String] {
        switch sql.dialect {
        case .sqlite:
            // `origin` is "pk" for the key's own index, "c" for CREATE INDEX.
            return try await sql.select("SELECT name FROM pragma_index_list('unit_days') WHERE origin <> 'pk' ORDER BY name", [])
                .map { $0.text(0) }
        case .postgres:
            return try await sql.select("""
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = 'unit_days'::regclass AND NOT i.indisprimary ORDER BY c.relname
                """, []).map { $0.text(0) }
        }
    }

    /// The database's plan for `statement`, as text.
    static func plan(_ sql: any SQLBackedStore, _ statement: String, _ binds: [SQLValue]) async throws -> String {
        switch sql.dialect {
        case .sqlite:
            return try await sql.select("EXPLAIN QUERY PLAN " + statement, binds).map { $0.text(3) }.joined(separator: "\n")
        case .postgres:
            // A read-only transaction: EXPLAIN plans a DELETE without running it.
            return try await sql.read { s in
                try await s.query("EXPLAIN " + statement, binds).map { $0.text(0) }.joined(separator: "\n")
            }
        }
    }
}
