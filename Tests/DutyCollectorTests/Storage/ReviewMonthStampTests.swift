import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// A review decision moves the data stamp of its anomaly's month (and so of every range holding
/// that month), and no other month's: the console's figures of other months stay kept.
@Suite("Review decisions stamp their month")
struct ReviewMonthStampTests {
    static let october = CivilDate(year: 2026, month: 10, day: 14)!
    static let november = S.day(3)

    /// One late arrival on 14 October and one on 3 November.
    static func load(_ store: any CollectorStore) async throws -> (october: Anomaly, november: Anomaly) {
        let a = S.anomaly("p1", .late, unit: S.squad1, date: october)
        let b = S.anomaly("p2", .late, unit: S.squad1, date: november)
        #expect(try await store.store(S.summary(date: october, revision: 1, units: [S.squad1: (5, 4)], anomalies: [a]),
                                      receivedAt: S.time(1)) == .stored)
        #expect(try await store.store(S.summary(date: november, revision: 1, units: [S.squad1: (5, 4)], anomalies: [b]),
                                      receivedAt: S.time(2)) == .stored)
        return (a, b)
    }

    static func stamps(_ store: any CollectorStore) async throws -> [DataStamp] {
        let ranges: [(CivilDate, CivilDate)] = [
            (CivilDate(year: 2026, month: 9, day: 1)!, CivilDate(year: 2026, month: 9, day: 30)!),  // September
            (CivilDate(year: 2026, month: 9, day: 1)!, CivilDate(year: 2026, month: 10, day: 31)!), // October's overview
            (S.day(1), S.day(30)),                                                                  // November alone
            (CivilDate(year: 2026, month: 12, day: 1)!, CivilDate(year: 2026, month: 12, day: 31)!), // December
        ]
        var stamps: [DataStamp] = []
        for (from, to) in ranges { stamps.append(try await store.dataStamp(from: from, to: to)) }
        return stamps
    }

    @Test("a decision moves the stamps of its month only; a replayed decision moves nothing",
          arguments: StorageBackend.available)
    func decisionStampsItsMonth(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let (october, november) = try await Self.load(store)
            let before = try await Self.stamps(store)
            let decision = ReviewDecision(anomalyID: november.id, state: .excused, note: "公出", by: "hr", at: S.time(10))
            #expect(try await store.review(decision))
            let afterNovember = try await Self.stamps(store)
            #expect(afterNovember[0] == before[0] && afterNovember[1] == before[1] && afterNovember[3] == before[3],
                    "September, October and December: no decision on their anomalies")
            #expect(afterNovember[2] != before[2])
            #expect(afterNovember[2].stamp(withContact: false).decisions != before[2].stamp(withContact: false).decisions)
            // The same decision again (a retried request or transaction): one decision, no new stamp.
            #expect(try await store.review(decision))
            #expect(try await Self.stamps(store) == afterNovember)
            // A decision on October's anomaly moves October's stamps (its own overview, and November's
            // comparison, which reads October), never September's or December's.
            #expect(try await store.review(ReviewDecision(anomalyID: october.id, state: .confirmed, note: "属实", by: "hr",
                                                          at: S.time(11))))
            let afterOctober = try await Self.stamps(store)
            #expect(afterOctober[0] == before[0] && afterOctober[3] == before[3])
            #expect(afterOctober[1] != afterNovember[1])
            let both = try await store.dataStamp(from: CivilDate(year: 2026, month: 10, day: 1)!, to: S.day(30))
            #expect(both.reviews == 2)
            // A decision on an anomaly the store does not hold changes nothing.
            #expect(try await !store.review(ReviewDecision(anomalyID: "no-such", state: .confirmed, note: "x", by: "hr",
                                                            at: S.time(12))))
            #expect(try await Self.stamps(store) == afterOctober)
        }
    }

    @Test("migration 21 counts the decisions made before it, per month", arguments: StorageBackend.available)
    func migrationCountsEarlierDecisions(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let sql = try #require(store as? any SQLBackedStore)
            let (october, november) = try await Self.load(store)
            for (i, id) in [october.id, november.id, november.id].enumerated() {
                #expect(try await store.review(ReviewDecision(anomalyID: id, state: .excused, note: "第\(i)次", by: "hr",
                                                              at: S.time(10 + i))))
            }
            let counted = try await Self.stamps(store)
            // Back to the schema before version 21, then forward again.
            try await sql.write { s in
                try await s.query("DROP TABLE review_months")
                try await s.query("DELETE FROM schema_migrations WHERE version = 21")
            }
            let applied = try await sql.write { s in try await Migrations.apply(s, now: S.time(20)) }
            #expect(applied == [21])
            #expect(try await Self.stamps(store) == counted)
            let months = try await sql.select("SELECT month, decisions FROM review_months ORDER BY month", [])
            #expect(months.map { "\($0.text(0))=\($0.int(1))" } == ["2026-10=1", "2026-11=2"])
        }
    }
}
