import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// The unit tree's storage grows with the number of units, and the reports' sums cannot overflow
/// on whatever rows are stored, on both databases.
@Suite("Unit tree and bounded sums")
struct UnitTreeTests {
    /// `root/l1/l2/…` with `depth` components.
    static func deepPath(_ depth: Int) -> String {
        ([S.root] + (1..<depth).map { "第\($0)级" }).joined(separator: "/")
    }

    static func count(_ table: String, in store: any CollectorStore) async throws -> Int {
        let sql = try #require(store as? any SQLBackedStore)
        return try await sql.select("SELECT COUNT(*) FROM \(table)", []).first?.int(0) ?? -1
    }

    @Test("a unit's text is stored once and its place in the tree as one row of ids per ancestor",
          arguments: StorageBackend.available)
    func treeRowsGrowWithUnits(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let leaf = Self.deepPath(UnitPath.maxComponents)
            let summary = S.summary(date: S.day(2), revision: 1, units: [leaf: (4, 3), S.squad1: (2, 2)])
            #expect(try await store.store(summary, receivedAt: S.time(1)) == .stored)
            // 12 units on the deep line, 市场监管局 shared, plus 执法大队 and 一中队.
            #expect(try await Self.count("units", in: store) == 14)
            // Each unit links to itself and every ancestor: 1 + 2 + … + 12, plus 2 + 3.
            #expect(try await Self.count("unit_links", in: store) == 78 + 5)
            // The same units again add nothing.
            let again = S.summary(date: S.day(3), revision: 1, units: [leaf: (4, 4)])
            #expect(try await store.store(again, receivedAt: S.time(2)) == .stored)
            #expect(try await Self.count("units", in: store) == 14)

            let figures = try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil)
            let byUnit = Dictionary(uniqueKeysWithValues: figures.map { ($0.unit.description, $0) })
            #expect(byUnit[S.root]?.scheduled == 10)
            #expect(byUnit[Self.deepPath(6)]?.scheduled == 8)
            #expect(byUnit[leaf]?.present == 7)
            #expect(byUnit[S.brigade]?.scheduled == 2)
            let under = try await store.unitFigures(from: S.day(1), to: S.day(30), under: UnitPath(Self.deepPath(11)))
            #expect(under.map(\.unit.description) == [Self.deepPath(11), leaf])
        }
    }

    @Test("a store of schema version 1 is moved to the tree by id with its units and figures",
          arguments: StorageBackend.available)
    func versionOneClosureIsMigrated(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            let summary = S.summary(date: S.day(2), revision: 1, units: [S.squad1: (5, 4), S.office: (3, 3)])
            _ = try await store.store(summary, receivedAt: S.time(1))
            // Put the schema back to version 1: the text closure table, as that version wrote it.
            try await sql.write { s in
                let closure = try await s.query("SELECT unit, ancestor, depth FROM unit_closure")
                try await s.query("DROP VIEW unit_closure")
                try await s.query("DROP TABLE unit_links")
                try await s.query("DROP TABLE units")
                try await s.query("CREATE TABLE unit_closure (unit TEXT NOT NULL, ancestor TEXT NOT NULL, depth BIGINT NOT NULL, PRIMARY KEY (unit, ancestor))")
                try await s.query("CREATE INDEX unit_closure_ancestor ON unit_closure (ancestor, unit)")
                try await s.insert(into: "unit_closure", columns: ["unit", "ancestor", "depth"], rows: closure.map(\.values))
                try await s.query("ALTER TABLE anomalies DROP COLUMN suspected")
                // The console's tables (3) stay: a store is moved by every version it lacks.
                try await s.query("DELETE FROM schema_migrations WHERE version IN (2, 4)")
            }
            // 市场监管局, 执法大队 and 一中队 below it, 办公室: 1 + 2 + 3 + 2 pairs.
            #expect(try await Self.count("unit_closure", in: store) == 8)
            let applied = try await sql.write { s in try await Migrations.apply(s, now: S.time(2)) }
            #expect(applied == [2, 4])
            #expect(try await Self.count("units", in: store) == 4)
            #expect(try await Self.count("unit_links", in: store) == 8)
            let figures = try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil)
            #expect(figures.map(\.unit.description) == [S.root, S.office, S.brigade, S.squad1])
            #expect(figures.first?.scheduled == 8)
        }
    }

    @Test("a unit stored in NFD and in NFC (before the edge normalised) is one unit with both figures",
          arguments: StorageBackend.available)
    func twoSpellingsAreOneUnit(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let nfc = S.brigade + "/Caf\u{E9}"
            let nfd = S.brigade + "/Cafe\u{301}"
            let late = S.anomaly("p1", .late, unit: nfd, date: S.day(2), minutes: 7)
            _ = try await store.store(S.summary(agent: "a1", date: S.day(2), revision: 1, units: [nfc: (4, 4)]), receivedAt: S.time(1))
            _ = try await store.store(S.summary(agent: "a2", date: S.day(2), revision: 1, units: [nfd: (6, 5)], anomalies: [late]),
                                      receivedAt: S.time(2))
            let figures = try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil)
            let cafe = figures.filter { $0.unit.components.last == "Caf\u{E9}" }
            #expect(cafe.count == 1)
            #expect(cafe.first.map { Array($0.unit.description.utf8) } == Array(nfc.utf8))
            #expect(cafe.first?.scheduled == 10 && cafe.first?.present == 9)
            #expect(cafe.first?.kinds[.late] == KindFigures(count: 1, minutes: 7))
            #expect(figures.first { $0.unit.description == S.brigade }?.scheduled == 10)
        }
    }

    @Test("figures stored out of bounds (2^63-1 minutes, scheduled on two dates) do not overflow a report",
          arguments: StorageBackend.available)
    func poisonedRowsCannotOverflowTheReports(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            let a = S.anomaly("p1", .late, unit: S.squad1, date: S.day(2), minutes: 5)
            let b = S.anomaly("p2", .late, unit: S.squad1, date: S.day(2), minutes: 1)
            _ = try await store.store(S.summary(date: S.day(2), revision: 1, units: [S.squad1: (10, 10)], anomalies: [a, b]),
                                      receivedAt: S.time(1))
            _ = try await store.store(S.summary(date: S.day(3), revision: 1, units: [S.squad1: (10, 10)]), receivedAt: S.time(2))
            // Written past the edge, as a collector before the bounds (or a hand edit) could have.
            try await sql.write { s in
                try await s.query("UPDATE anomalies SET minutes = ? WHERE id = ?", [.int(Int.max), .text(a.id)])
                try await s.query("UPDATE unit_days SET scheduled = ?, present = ?", [.int(Int.max), .int(Int.max)])
            }
            let figures = try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil)
            let squad = try #require(figures.first { $0.unit.description == S.squad1 })
            #expect(squad.scheduled == 2 * FigureLimits.maxCount)
            #expect(squad.kinds[.late] == KindFigures(count: 2, minutes: FigureLimits.maxMinutes + 1))
            let tallies = try await store.personCounts(from: S.day(1), to: S.day(30), under: nil)
            #expect(tallies.first { $0.person == "p1" }?.minutes == FigureLimits.maxMinutes)

            let bulletin = try await BulletinBuilder.build(month: "2026-11", under: nil, store: store,
                                                           settings: BulletinSettings(), now: S.time(86_400 * 40))
            #expect(bulletin.totals.scheduled == 2 * FigureLimits.maxCount)
            let digest = try await DigestBuilder.build(under: nil, from: S.day(1), to: S.day(30), store: store,
                                                       now: S.time(0), zone: BulletinSettings().zone)
            #expect(digest.total == 2)
        }
    }
}
