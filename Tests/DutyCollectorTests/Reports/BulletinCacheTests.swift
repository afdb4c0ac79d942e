import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The month's bulletin is built once and reused until the data behind it changes: a review, a
/// new summary (of the month or of the month before), an agent revoked, a new business date.
@Suite("Bulletin cache")
struct BulletinCacheTests {
    static let month = ReportMonth(year: 2026, month: 11)!

    static func bulletin(_ cache: BulletinCache, _ store: any CollectorStore, now: Date = ReportFixture.now,
                         under: UnitPath? = nil) async throws -> Bulletin {
        try await cache.bulletin(month: month, under: under, store: store, settings: BulletinSettings(), review: ReviewSettings(),
                                 now: now)
    }

    @Test("reused while nothing changes, rebuilt after each change", arguments: StorageBackend.available)
    func rebuiltWhenTheDataChanges(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            try await ReportFixture.load(into: store)
            let cache = BulletinCache()
            let first = try await Self.bulletin(cache, store)
            let again = try await Self.bulletin(cache, store, now: ReportFixture.now.addingTimeInterval(60))
            #expect(await cache.builds == 1)
            #expect(await cache.hits == 1)
            #expect(again == first, "the cached bulletin, with the time it was built")
            // The same as building it afresh.
            let fresh = try await BulletinBuilder.build(month: "2026-11", under: nil, store: store, settings: BulletinSettings(),
                                                        review: ReviewSettings(), now: ReportFixture.now)
            #expect(first == fresh)

            // A review decision (through this process or any other sharing the database).
            let late = ReportFixture.id(of: "1001", "2026-11-03", .late)
            #expect(try await store.review(ReviewDecision(anomalyID: late, state: .excused, note: "公出", by: "hr",
                                                          at: ReportFixture.now)))
            let reviewed = try await Self.bulletin(cache, store)
            #expect(await cache.builds == 2)
            #expect(reviewed.totals.charged == first.totals.charged - 1)
            #expect(reviewed.review.excused == first.review.excused + 1)

            // A new revision of a summary of the month before (the comparison column reads it).
            let october = CivilDate(year: 2026, month: 10, day: 14)!
            let prefixes = ReportFixture.agents[0].1
            var revised = ReportFixture.summary(agent: ReportFixture.agents[0].0, prefixes: prefixes, date: october)
            revised.revision += 1
            _ = try await store.store(revised, receivedAt: ReportFixture.now)
            _ = try await Self.bulletin(cache, store)
            #expect(await cache.builds == 3)

            // An agent revoked, then registered again (a new token, a new registration date); then
            // the next business date (completeness and 限时办结 count to today).
            let (agentID, agentUnits, _) = ReportFixture.agents[0]
            _ = try await store.revokeAgent(id: agentID, at: ReportFixture.now)
            _ = try await Self.bulletin(cache, store)
            #expect(await cache.builds == 4)
            try await store.addAgent(AgentRecord(id: agentID, unitPrefixes: agentUnits.map(UnitPath.init), tokenHash: "hash-new",
                                                 createdAt: ReportFixture.now))
            _ = try await Self.bulletin(cache, store)
            #expect(await cache.builds == 5)
            _ = try await Self.bulletin(cache, store, now: ReportFixture.now.addingTimeInterval(86_400))
            #expect(await cache.builds == 6)
            // A summary of another month leaves the month's summaries as they were, but moves its
            // agent's last contact, which the bulletin's completeness table shows.
            let december = ReportFixture.summary(agent: ReportFixture.agents[1].0, prefixes: ReportFixture.agents[1].1,
                                                 date: CivilDate(year: 2026, month: 12, day: 1)!)
            let stamp = try await store.dataStamp(from: Self.month.previous.first, to: Self.month.last)
            _ = try await store.store(december, receivedAt: ReportFixture.now.addingTimeInterval(120))
            let after = try await store.dataStamp(from: Self.month.previous.first, to: Self.month.last)
            #expect(after != stamp)
            #expect(after.stamp(withContact: true) != stamp.stamp(withContact: true))
            // The overview and unit figures only count: the contact time is no part of them.
            #expect(after.stamp(withContact: false) == stamp.stamp(withContact: false))
            // Each scope is its own bulletin.
            let unit = UnitPath(ReportFixture.squad1)
            let squad = try await Self.bulletin(cache, store, under: unit)
            #expect(squad.scope == unit)
            #expect(await cache.hits == 1)
        }
    }

    @Test("at most `capacity` bulletins are kept")
    func bounded() async throws {
        try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            let cache = BulletinCache(capacity: 2)
            for unit in [ReportFixture.office, ReportFixture.registry, ReportFixture.squad1, ReportFixture.office] {
                _ = try await Self.bulletin(cache, store, under: UnitPath(unit))
            }
            // The office was dropped when the third scope came in: built again.
            #expect(await cache.builds == 4)
            #expect(await cache.hits == 0)
        }
    }
}
