import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// The same cases against SQLite and PostgreSQL.
@Suite("Collector store")
struct CollectorStoreTests {
    @Test("PostgreSQL is configured", .enabled(
        if: StorageBackend.postgresURL != nil || StorageBackend.inCI,
        "DUTYWATCH_TEST_POSTGRES_URL is not set: the PostgreSQL cases are SKIPPED (run scripts/start-postgres.sh)"))
    func postgresConfigured() throws {
        _ = try #require(StorageBackend.postgresURL, "PostgreSQL required in CI: set DUTYWATCH_TEST_POSTGRES_URL")
    }

    @Test("leave-excused anomalies are 已豁免 for every reader; review counts; dates that judged nobody",
          arguments: StorageBackend.available)
    func effectiveReviewState(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let leave = S.anomaly("1", .absent, unit: S.squad1, date: S.day(2), excused: true)
            let open = S.anomaly("2", .late, unit: S.squad1, date: S.day(2))
            let confirmed = S.anomaly("3", .late, unit: S.squad1, date: S.day(2))
            let hrExcused = S.anomaly("4", .late, unit: S.squad1, date: S.day(2))
            _ = try await store.store(S.summary(date: S.day(2), revision: 1, units: [S.squad1: (10, 10)],
                                                anomalies: [leave, open, confirmed, hrExcused]), receivedAt: S.time(2))
            // Nobody judged on the 3rd: every scheduled instance unverified.
            _ = try await store.store(S.summary(date: S.day(3), revision: 1, units: [S.squad1: (10, 0)]), receivedAt: S.time(3))
            // HR confirms one, excuses one, and "confirms" the leave-excused one: leave still excuses it.
            let decisions: [(String, ReviewState)] = [(confirmed.id, .confirmed), (hrExcused.id, .excused), (leave.id, .confirmed)]
            for (id, state) in decisions {
                #expect(try await store.review(ReviewDecision(anomalyID: id, state: state, note: "n", by: "hr", at: S.time(5))))
            }
            let all = try await store.anomalies(AnomalyFilter())
            #expect(all.first { $0.anomaly.id == leave.id }?.review == .excused)
            #expect(try await store.anomalies(AnomalyFilter(state: .open)).map(\.anomaly.id) == [open.id])
            #expect(Set(try await store.anomalies(AnomalyFilter(state: .excused)).map(\.anomaly.id)) == [leave.id, hrExcused.id])
            #expect(try await store.anomalies(AnomalyFilter(state: .confirmed)).map(\.anomaly.id) == [confirmed.id])
            let counts = try await store.reviewCounts(from: S.day(1), to: S.day(30), under: nil)
            #expect(counts == ReviewCounts(open: 1, confirmed: 1, excused: 2, leaveExcused: 1) && counts.reviewed == 2)
            #expect(try await store.unjudgedDays(from: S.day(1), to: S.day(30), under: nil) == [AgentDay(agent: "a1", date: S.day(3))])
            #expect(try await store.unjudgedDays(from: S.day(1), to: S.day(30), under: UnitPath("别处")).isEmpty)
            // The protocol's defaults (for stores without these queries) give the same answers.
            try await store.addAgent(S.agent("a1"))
            let plain = FailingStore(store, failing: [])
            #expect(try await plain.reviewCounts(from: S.day(1), to: S.day(30), under: nil) == counts)
            #expect(try await plain.unjudgedDays(from: S.day(1), to: S.day(30), under: nil) == [AgentDay(agent: "a1", date: S.day(3))])
        }
    }

    @Test("revisions: new, repeat, older, same revision with other content", arguments: StorageBackend.available)
    func revisions(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let v1 = S.summary(date: S.day(2), revision: 1, units: [S.squad1: (10, 9)])
            #expect(try await store.store(v1, receivedAt: S.time(10)) == .stored)
            #expect(try await store.store(v1, receivedAt: S.time(11)) == .unchanged)
            let v0 = S.summary(date: S.day(2), revision: 0, units: [S.squad1: (10, 10)])
            #expect(try await store.store(v0, receivedAt: S.time(12)) == .stale(storedRevision: 1, storedDigest: v1.digest))
            let other = S.summary(date: S.day(2), revision: 1, units: [S.squad1: (10, 8)])
            #expect(other.digest != v1.digest)
            #expect(try await store.store(other, receivedAt: S.time(13)) == .stale(storedRevision: 1, storedDigest: v1.digest))
            #expect(try await store.unitFigures(from: S.day(2), to: S.day(2), under: nil).first { $0.unit.description == S.squad1 }?.present == 9)

            let v2 = S.summary(date: S.day(2), revision: 2, units: [S.squad1: (10, 7)])
            #expect(try await store.store(v2, receivedAt: S.time(14)) == .stored)
            let figures = try await store.unitFigures(from: S.day(1), to: S.day(30), under: UnitPath(S.squad1))
            #expect(figures.map(\.unit.description) == [S.squad1])
            #expect(figures.first?.scheduled == 10)
            #expect(figures.first?.present == 7)
            #expect(try await store.summary(agent: "a1", date: S.day(2)) == v2)
            #expect(try await store.summary(agent: "a1", date: S.day(3)) == nil)
        }
    }

    @Test("a newer revision replaces the anomalies whole", arguments: StorageBackend.available)
    func newerRevisionReplacesAnomalies(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let a = S.anomaly("p1", .late, unit: S.squad1, date: S.day(3), minutes: 5)
            let b = S.anomaly("p2", .absent, unit: S.squad1, date: S.day(3), minutes: 480, severity: .serious)
            let c = S.anomaly("p3", .earlyLeave, unit: S.squad2, date: S.day(3), minutes: 20)
            let units = [S.squad1: (scheduled: 5, present: 4), S.squad2: (scheduled: 3, present: 3)]
            _ = try await store.store(S.summary(date: S.day(3), revision: 1, units: units, anomalies: [a, b]), receivedAt: S.time(1))
            _ = try await store.store(S.summary(date: S.day(3), revision: 2, units: units, anomalies: [b, c]), receivedAt: S.time(2))
            let stored = try await store.anomalies(AnomalyFilter())
            #expect(stored.map(\.anomaly) == [b, c])
            #expect(stored.allSatisfy { $0.revision == 2 && $0.agent == "a1" && $0.review == .open })
            let brigade = try #require(try await store.unitFigures(from: S.day(3), to: S.day(3), under: nil)
                .first { $0.unit.description == S.brigade })
            #expect(brigade.scheduled == 8)
            #expect(brigade.kinds == [.absent: KindFigures(count: 1, minutes: 480), .earlyLeave: KindFigures(count: 1, minutes: 20)])
        }
    }

    @Test("review decisions survive a new revision, leave the counts and are audited", arguments: StorageBackend.available)
    func reviewsSurviveRevisions(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let late = S.anomaly("p1", .late, unit: S.squad1, date: S.day(4), minutes: 7)
            let absent = S.anomaly("p2", .absent, unit: S.squad1, date: S.day(4), minutes: 480)
            let units = [S.squad1: (scheduled: 2, present: 1)]
            _ = try await store.store(S.summary(date: S.day(4), revision: 1, units: units, anomalies: [late, absent]), receivedAt: S.time(1))

            #expect(try await store.review(ReviewDecision(anomalyID: "nope", state: .excused, note: "", by: "hr", at: S.time(2))) == false)
            let excuse = ReviewDecision(anomalyID: late.id, state: .excused, note: "traffic accident, proof seen", by: "hr-li", at: S.time(3))
            let confirm = ReviewDecision(anomalyID: absent.id, state: .confirmed, note: "no leave", by: "hr-li", at: S.time(4))
            #expect(try await store.review(excuse))
            #expect(try await store.review(confirm))

            // A new revision of the day, with the same anomalies (same stable ids) and one more.
            let extra = S.anomaly("p3", .late, unit: S.squad1, date: S.day(4), minutes: 3)
            _ = try await store.store(S.summary(date: S.day(4), revision: 2, units: units, anomalies: [late, absent, extra]),
                                      receivedAt: S.time(5))
            let squad = try #require(try await store.unitFigures(from: S.day(4), to: S.day(4), under: nil)
                .first { $0.unit.description == S.squad1 })
            #expect(squad.kinds[.late] == KindFigures(count: 1, minutes: 3))
            #expect(squad.kinds[.absent] == KindFigures(count: 1, minutes: 480))

            let listed = try await store.anomalies(AnomalyFilter())
            #expect(listed.count == 3)
            let excused = try #require(listed.first { $0.anomaly.id == late.id })
            #expect(excused.review == .excused)
            #expect(excused.reviewNote == "traffic accident, proof seen")
            #expect(excused.reviewedBy == "hr-li")
            #expect(excused.reviewedAt == S.time(3))
            #expect(try await store.anomalies(AnomalyFilter(state: .excused)).map(\.anomaly.id) == [late.id])
            #expect(try await store.anomalies(AnomalyFilter(state: .confirmed)).map(\.anomaly.id) == [absent.id])
            #expect(try await store.anomalies(AnomalyFilter(state: .open)).map(\.anomaly.id) == [extra.id])

            // Reopening is a decision too; the log keeps every one, oldest first.
            let reopen = ReviewDecision(anomalyID: late.id, state: .open, note: "proof withdrawn", by: "hr-wang", at: S.time(6))
            #expect(try await store.review(reopen))
            #expect(try await store.auditLog(anomalyID: nil) == [excuse, confirm, reopen])
            #expect(try await store.auditLog(anomalyID: late.id) == [excuse, reopen])
            let after = try await store.unitFigures(from: S.day(4), to: S.day(4), under: UnitPath(S.squad1))
            #expect(after.first?.kinds[.late] == KindFigures(count: 2, minutes: 10))
        }
    }

    @Test("figures roll up the unit tree", arguments: StorageBackend.available)
    func treeRollUp(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let d = S.day(5)
            let s1 = S.summary(agent: "a1", date: d, revision: 1,
                               units: [S.squad1: (10, 9), S.squad2: (6, 6), S.brigade: (2, 2)],
                               anomalies: [S.anomaly("p1", .late, unit: S.squad1, date: d, minutes: 12),
                                           S.anomaly("p2", .late, unit: S.squad2, date: d, minutes: 8),
                                           S.anomaly("p3", .late, unit: S.squad2, date: d, minutes: 30, excused: true)])
            let s2 = S.summary(agent: "a2", date: d, revision: 1, units: [S.office: (4, 3)],
                               anomalies: [S.anomaly("p9", .offPost, unit: S.office, date: d, minutes: 45, severity: .serious)])
            // Another day, outside the range asked below.
            let s3 = S.summary(agent: "a1", date: S.day(6), revision: 1, units: [S.squad1: (100, 100)])
            for s in [s1, s2, s3] { #expect(try await store.store(s, receivedAt: S.time(1)) == .stored) }

            let all = try await store.unitFigures(from: d, to: d, under: nil)
            #expect(all.map(\.unit.description) == [S.root, S.office, S.brigade, S.squad1, S.squad2])
            let byUnit = Dictionary(uniqueKeysWithValues: all.map { ($0.unit.description, $0) })
            #expect(byUnit[S.squad1]?.scheduled == 10)
            #expect(byUnit[S.brigade]?.scheduled == 18)
            #expect(byUnit[S.brigade]?.present == 17)
            #expect(byUnit[S.brigade]?.kinds == [.late: KindFigures(count: 2, minutes: 20)])
            #expect(byUnit[S.root]?.scheduled == 22)
            #expect(byUnit[S.root]?.unverified == 2)
            #expect(byUnit[S.root]?.kinds == [.late: KindFigures(count: 2, minutes: 20), .offPost: KindFigures(count: 1, minutes: 45)])

            let brigade = try await store.unitFigures(from: d, to: d, under: UnitPath(S.brigade))
            #expect(brigade.map(\.unit.description) == [S.brigade, S.squad1, S.squad2])
            let twoDays = try await store.unitFigures(from: d, to: S.day(6), under: UnitPath(S.squad1))
            #expect(twoDays.first?.scheduled == 110)
        }
    }

    @Test("anomaly filters and order", arguments: StorageBackend.available)
    func filters(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let d7 = S.day(7), d8 = S.day(8)
            let a = S.anomaly("p2", .late, unit: S.squad2, date: d7)
            let b = S.anomaly("p1", .late, unit: S.squad1, date: d7)
            let c = S.anomaly("p1", .absent, unit: S.squad1, date: d8, minutes: 480, severity: .serious)
            let e = S.anomaly("p5", .earlyLeave, unit: S.office, date: d8, excused: true)
            let f = S.anomaly("p6", .offPost, unit: S.office, date: d8, minutes: 90, severity: .critical, name: "王五")
            _ = try await store.store(S.summary(date: d7, revision: 1, units: [S.squad1: (3, 3)], anomalies: [a, b]), receivedAt: S.time(1))
            _ = try await store.store(S.summary(date: d8, revision: 1, units: [S.squad1: (3, 3)], anomalies: [f, e, c]), receivedAt: S.time(1))

            func ids(_ filter: AnomalyFilter) async throws -> [String] { try await store.anomalies(filter).map(\.anomaly.id) }
            // Date, then unit, then person.
            #expect(try await ids(AnomalyFilter()) == [b.id, a.id, e.id, f.id, c.id])
            #expect(try await ids(AnomalyFilter(under: UnitPath(S.brigade))) == [b.id, a.id, c.id])
            #expect(try await ids(AnomalyFilter(under: UnitPath(S.squad1))) == [b.id, c.id])
            #expect(try await ids(AnomalyFilter(person: "p1")) == [b.id, c.id])
            #expect(try await ids(AnomalyFilter(person: "王五")) == [f.id])
            #expect(try await ids(AnomalyFilter(kind: .late)) == [b.id, a.id])
            #expect(try await ids(AnomalyFilter(from: d8)) == [e.id, f.id, c.id])
            #expect(try await ids(AnomalyFilter(to: d7)) == [b.id, a.id])
            #expect(try await ids(AnomalyFilter(includeLeaveExcused: false)) == [b.id, a.id, f.id, c.id])
            #expect(try await ids(AnomalyFilter(limit: 2)) == [b.id, a.id])
            #expect(try await ids(AnomalyFilter(minSeverity: .serious)) == [f.id, c.id])
            #expect(try await ids(AnomalyFilter(minSeverity: .critical)) == [f.id])
            #expect(try await ids(AnomalyFilter(under: UnitPath("市场监管局/不存在"))) == [])
            #expect(try await store.anomalies(AnomalyFilter(person: "p1")).first?.anomaly == b)
        }
    }

    @Test("per-person counts leave excused anomalies out", arguments: StorageBackend.available)
    func personCounts(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            var anomalies: [Anomaly] = []
            for d in 10...13 {
                let late = S.anomaly("p1", .late, unit: S.squad1, date: S.day(d), minutes: d, name: "张三")
                anomalies.append(late)
                _ = try await store.store(S.summary(date: S.day(d), revision: 1, units: [S.squad1: (2, 2)],
                                                    anomalies: [late, S.anomaly("p2", .late, unit: S.office, date: S.day(d), excused: true)]),
                                          receivedAt: S.time(d))
            }
            _ = try await store.review(ReviewDecision(anomalyID: anomalies[0].id, state: .excused, note: "ok", by: "hr", at: S.time(20)))
            let counts = try await store.personCounts(from: S.day(1), to: S.day(30), under: nil)
            #expect(counts == [PersonKindCount(person: "p1", name: "张三", unit: UnitPath(S.squad1), kind: .late, count: 3, minutes: 36)])
            #expect(try await store.personCounts(from: S.day(1), to: S.day(30), under: UnitPath(S.office)) == [])
            #expect(try await store.personCounts(from: S.day(13), to: S.day(13), under: UnitPath(S.brigade)).first?.count == 1)
        }
    }

    @Test("agents: add, look up, revoke, contact and health", arguments: StorageBackend.available)
    func agents(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let a1 = S.agent("a1", prefixes: [S.brigade, S.office])
            try await store.addAgent(a1)
            try await store.addAgent(S.agent("a2"))
            #expect(try await store.agent(tokenHash: "hash-a1") == a1)
            #expect(try await store.agent(tokenHash: "hash-zz") == nil)
            await #expect(throws: StoreError.self) { try await store.addAgent(S.agent("a1", token: "other")) }
            await #expect(throws: StoreError.self) { try await store.addAgent(S.agent("a3", token: "a1")) }
            #expect(try await store.agents().map(\.id) == ["a1", "a2"])

            #expect(try await store.revokeAgent(id: "a2", at: S.time(5)))
            #expect(try await store.revokeAgent(id: "zz", at: S.time(5)) == false)
            #expect(try await store.agent(tokenHash: "hash-a2")?.revokedAt == S.time(5))
            // A revoked id can be registered again with a new token.
            try await store.addAgent(S.agent("a2", token: "new"))
            #expect(try await store.agent(tokenHash: "hash-new")?.revokedAt == nil)
            #expect(try await store.agent(tokenHash: "hash-a2") == nil)

            try await store.touchAgent(id: "a1", at: S.time(30))
            try await store.touchAgent(id: "a1", at: S.time(20))  // never moves back
            #expect(try await store.agent(tokenHash: "hash-a1")?.lastContact == S.time(30))
            _ = try await store.store(S.summary(agent: "a1", date: S.day(2), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(40))
            _ = try await store.store(S.summary(agent: "a1", date: S.day(4), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(50))
            #expect(try await store.agent(tokenHash: "hash-a1")?.lastContact == S.time(50))

            let health = try await store.agentHealth(from: S.day(1), to: S.day(3))
            #expect(health.map(\.agent.id) == ["a1", "a2"])
            #expect(health[0].datesReceived == [S.day(2)])
            #expect(health[0].lastSummaryDate == S.day(4))
            #expect(health[0].lastSummaryAt == S.time(50))
            #expect(health[1].datesReceived == [])
            #expect(health[1].lastSummaryDate == nil)
        }
    }

    /// An agent catching up on a backlog sends many summaries a second: its row is written at most
    /// once a second (`SummaryWriter.contactResolution`), so the recorded contact trails the latest
    /// summary by less than that, and a summary a second or more later records its own time.
    @Test("a backlog's contacts: written once a second, the latest to within a second", arguments: StorageBackend.available)
    func contactsToTheSecond(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            try await store.addAgent(S.agent("a1"))
            let start = S.time(100)
            for (i, milliseconds) in [0, 300, 600, 900].enumerated() {
                let summary = S.summary(agent: "a1", date: S.day(i + 1), revision: 1, units: [S.squad1: (1, 1)])
                #expect(try await store.store(summary, receivedAt: start.addingTimeInterval(Double(milliseconds) / 1000)) == .stored)
            }
            #expect(try await store.agent(tokenHash: "hash-a1")?.lastContact == start)
            let later = start.addingTimeInterval(1.2)
            _ = try await store.store(S.summary(agent: "a1", date: S.day(5), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: later)
            #expect(try await store.agent(tokenHash: "hash-a1")?.lastContact == later)
            // A summary received earlier than the recorded contact (a slow request) never moves it back.
            _ = try await store.store(S.summary(agent: "a1", date: S.day(6), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(90))
            #expect(try await store.agent(tokenHash: "hash-a1")?.lastContact == later)
        }
    }

    @Test("concurrent stores: nothing lost, nothing doubled, the highest revision wins", arguments: StorageBackend.available)
    func concurrency(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            // 4 agents x 25 days, each summary with one late anomaly, all at once.
            for agent in 0..<4 { try await store.addAgent(S.agent("agent\(agent)")) }
            try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                for agent in 0..<4 {
                    for d in 1...25 {
                        let s = S.summary(agent: "agent\(agent)", date: S.day(d), revision: 1, units: [S.squad1: (10, 9)],
                                          anomalies: [S.anomaly("p\(agent)", .late, unit: S.squad1, date: S.day(d), minutes: 1)])
                        group.addTask { try await store.store(s, receivedAt: S.time(d)) }
                    }
                }
                for try await outcome in group { #expect(outcome == .stored) }
            }
            // 12 revisions of one (agent, date), each sent three times, in shuffled order.
            let revisions = (1...12).map { r in
                S.summary(agent: "busy", date: S.day(26), revision: r, units: [S.squad2: (r, r)],
                          anomalies: (0..<r).map { S.anomaly("q\($0)", .earlyLeave, unit: S.squad2, date: S.day(26), minutes: 2) })
            }
            let sends = (revisions + revisions + revisions).shuffled()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for s in sends { group.addTask { _ = try await store.store(s, receivedAt: S.time(99)) } }
                try await group.waitForAll()
            }
            let root = try #require(try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil).first)
            #expect(root.scheduled == 4 * 25 * 10 + 12)
            #expect(root.kinds[.late] == KindFigures(count: 100, minutes: 100))
            #expect(root.kinds[.earlyLeave] == KindFigures(count: 12, minutes: 24))
            #expect(try await store.summary(agent: "busy", date: S.day(26))?.revision == 12)
            #expect(try await store.anomalies(AnomalyFilter(from: S.day(26))).allSatisfy { $0.revision == 12 })
            #expect(try await store.store(revisions[11], receivedAt: S.time(100)) == .unchanged)
            let contacts = try await store.agents().map(\.lastContact)
            #expect(contacts == Array(repeating: S.time(25), count: 4))
        }
    }

    @Test("migrating again changes nothing", arguments: StorageBackend.available)
    func migrateAgain(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.store(S.summary(date: S.day(2), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            #expect(try await store.summary(agent: "a1", date: S.day(2))?.revision == 1)
        }
    }
}
