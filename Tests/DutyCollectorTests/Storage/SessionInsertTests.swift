import Foundation
import Testing
@testable import DutyCollector

/// `SQLSession.insert`, which PostgreSQL sends as one array a column (`unnest`) and SQLite as
/// multi-row `VALUES` lists: the same rows come back on both, NULLs, odd text and extreme
/// integers included, with ON CONFLICT and RETURNING.
@Suite("Multi-row inserts")
struct SessionInsertTests {
    static let rows: [[SQLValue]] = [
        [.text("a"), .int(Int(Int64.max)), .text("市场监管局/执法大队"), .null],
        [.text("b"), .int(Int(Int64.min)), .text(""), .text("年假")],
        [.text("c"), .int(0), .text("quote ' and \"double\", comma, {brace} \\ backslash? $1 NULL"), .null],
        [.text("d"), .int(-1), .text(String(repeating: "长", count: 5_000)), .text("e\u{301}")],
    ]

    @Test("rows go in and come back whole; a repeated key is skipped by ON CONFLICT and not returned",
          arguments: StorageBackend.available)
    func roundTrip(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            let rows = Self.rows
            let returned = try await sql.write { s in
                try await s.query("CREATE TABLE insert_probe (k TEXT PRIMARY KEY, n BIGINT NOT NULL, t TEXT NOT NULL, r TEXT)")
                return try await s.insert(into: "insert_probe", columns: ["k", "n", "t", "r"], rows: rows,
                                          suffix: "ON CONFLICT (k) DO NOTHING RETURNING k")
            }
            #expect(Set(returned.map { $0.text(0) }) == ["a", "b", "c", "d"])
            let again = try await sql.write { s in
                try await s.insert(into: "insert_probe", columns: ["k", "n", "t", "r"],
                                   rows: [rows[0], [.text("e"), .int(5), .text("新"), .null]],
                                   suffix: "ON CONFLICT (k) DO NOTHING RETURNING k")
            }
            #expect(again.map { $0.text(0) } == ["e"])
            let stored = try await sql.select("SELECT k, n, t, r FROM insert_probe ORDER BY k", [])
            #expect(stored.count == 5)
            for (row, expected) in zip(stored, rows) {
                #expect(row.values == expected)
            }
        }
    }

    @Test("a column of NULLs alone goes in whatever its type", arguments: StorageBackend.available)
    func nullColumns(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            try await sql.write { s in
                try await s.query("CREATE TABLE insert_nulls (k TEXT PRIMARY KEY, n BIGINT, t TEXT)")
                try await s.insert(into: "insert_nulls", columns: ["k", "n", "t"],
                                   rows: [[.text("a"), .null, .null], [.text("b"), .null, .null]])
                try await s.insert(into: "insert_nulls", columns: ["k", "n", "t"], rows: [[.text("c"), .int(7), .null]])
            }
            let stored = try await sql.select("SELECT k, n, t FROM insert_nulls ORDER BY k", [])
            #expect(stored.map(\.values) == [[.text("a"), .null, .null], [.text("b"), .null, .null], [.text("c"), .int(7), .null]])
        }
    }

    /// PostgreSQL only: SQLite stores either in any column.
    @Test("a column given both integers and text is refused", arguments: StorageBackend.available.filter { $0 == .postgres })
    func mixedColumn(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            await #expect(throws: StoreError.self) {
                try await sql.write { s in
                    try await s.query("CREATE TABLE insert_mixed (k TEXT, n BIGINT)")
                    try await s.insert(into: "insert_mixed", columns: ["k", "n"], rows: [[.text("a"), .int(1)], [.text("b"), .text("2")]])
                }
            }
        }
    }
}
