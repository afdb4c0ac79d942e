import Foundation
import Testing
@testable import DutyCollector
import Shared

private typealias S = StorageSamples

/// What the PostgreSQL store's retries may do to a write: run it again after it committed (the
/// COMMIT's answer lost), and abandon an attempt that never answers.
@Suite("Retried writes")
struct RetriedWriteTests {
    /// A review whose transaction is run twice, as after a lost COMMIT answer, is one decision: one
    /// audit row, and a later decision by someone else is not undone by the replay.
    @Test("a review written twice by a retry is audited once", arguments: StorageBackend.available)
    func aReplayedReviewIsAuditedOnce(_ backend: StorageBackend) async throws {
        try await backend.withStore { inner in
            let store = try #require(inner as? any SQLBackedStore)
            let late = S.anomaly("p1", .late, unit: S.squad1, date: S.day(4), minutes: 7)
            _ = try await store.store(S.summary(date: S.day(4), revision: 1, units: [S.squad1: (2, 1)], anomalies: [late]),
                                      receivedAt: S.time(1))
            let replaying = CommitsTwice(inner: store)
            let excuse = ReviewDecision(anomalyID: late.id, state: .excused, note: "proof seen", by: "hr-li", at: S.time(3))
            #expect(try await replaying.review(excuse))
            #expect(await replaying.runs == 2, "the write ran in two committed transactions")
            #expect(try await store.auditLog(anomalyID: late.id) == [excuse])

            // Another reviewer decides; then the first decision's transaction is replayed once more
            // (a retry arriving late): the later decision stands and the log is unchanged.
            let reopen = ReviewDecision(anomalyID: late.id, state: .open, note: "proof withdrawn", by: "hr-wang", at: S.time(4))
            #expect(try await store.review(reopen))
            #expect(try await replaying.review(excuse))
            #expect(try await store.auditLog(anomalyID: late.id) == [excuse, reopen])
            #expect(try await store.anomaly(id: late.id)?.review == .open)

            // The same reviewer deciding again later is a new decision, audited.
            let again = ReviewDecision(anomalyID: late.id, state: .excused, note: "proof seen", by: "hr-li", at: S.time(5))
            #expect(try await store.review(again))
            #expect(try await store.auditLog(anomalyID: late.id) == [excuse, reopen, again])
        }
    }

    /// Every other write replayed after its COMMIT is still one write, reported as done: an agent
    /// added, a user added, a session created, an explanation. Before, the replay of an add
    /// reported "exists" for what it had itself just written, and an explanation was stored twice.
    /// (Console events are not: see `record`.)
    @Test("agents, users, sessions and explanations written twice by a retry are written once",
          arguments: StorageBackend.available)
    func everyReplayedWriteIsOneWrite(_ backend: StorageBackend) async throws {
        try await backend.withStore { inner in
            let store = try #require(inner as? any SQLBackedStore)
            let replaying = CommitsTwice(inner: store)

            let agent = AgentRecord(id: "office-9", unitPrefixes: [UnitPath(S.squad1)], tokenHash: "hash-9", createdAt: S.time(1))
            try await replaying.addAgent(agent)
            #expect(await replaying.runs == 2)
            #expect(try await store.agents().filter { $0.id == "office-9" } == [agent])
            // Still refused: the same id with another token, and the same token under another id.
            var other = agent
            other.tokenHash = "hash-other"
            await #expect(throws: StoreError.self) { try await replaying.addAgent(other) }
            other = agent
            other.id = "office-10"
            await #expect(throws: StoreError.self) { try await replaying.addAgent(other) }

            let user = NewUser(name: "hr-zhao", role: .hr, units: [], person: nil, passwordHash: "$2b$04$salted-zhao",
                               createdAt: S.time(2))
            let added = try await replaying.addUser(user)
            #expect(try await store.users() == [added])
            var taken = user
            taken.passwordHash = "$2b$04$another"
            await #expect(throws: StoreError.self) { _ = try await replaying.addUser(taken) }

            try await replaying.putSession(key: "s1", value: "{\"u\":1}", expiresAt: S.time(100), createOnly: true, now: S.time(3))
            try await replaying.putSession(key: "s2", value: "{}", expiresAt: nil, createOnly: true, now: S.time(3))
            #expect(try await store.session(key: "s1", now: S.time(4))?.value == "{\"u\":1}")
            await #expect(throws: StoreError.self) {
                try await replaying.putSession(key: "s1", value: "{\"u\":2}", expiresAt: S.time(100), createOnly: true,
                                               now: S.time(4))
            }

            let late = S.anomaly("p1", .late, unit: S.squad1, date: S.day(4), minutes: 7)
            _ = try await store.store(S.summary(date: S.day(4), revision: 1, units: [S.squad1: (2, 1)], anomalies: [late]),
                                      receivedAt: S.time(1))
            let explanation = Explanation(anomalyID: late.id, by: "p1-user", text: "地铁故障", at: S.time(5))
            #expect(try await replaying.addExplanation(explanation))
            #expect(try await store.explanations(anomalyID: late.id) == [explanation])
            #expect(try await store.events(kinds: [.explanation], limit: 10).count == 1)
            // The same words written again later are a second explanation.
            let again = Explanation(anomalyID: late.id, by: "p1-user", text: "地铁故障", at: S.time(6))
            #expect(try await replaying.addExplanation(again))
            #expect(try await store.explanations(anomalyID: late.id) == [explanation, again])

        }
    }

    /// An attempt that does not answer within the deadline is abandoned and the transaction run
    /// again; one that never answers ends in `StoreError.unavailable` instead of hanging.
    @Test(.enabled(if: StorageBackend.postgresURL != nil || StorageBackend.inCI,
                   "DUTYWATCH_TEST_POSTGRES_URL is not set: the PostgreSQL case is SKIPPED"))
    func aHungAttemptIsAbandonedAndRetried() async throws {
        try await StorageBackend.withPostgresDatabase { url, _, _ in
            // Migrated first with the usual deadline: under load the migrations alone can take longer
            // than 1 s, and an attempt abandoned at its deadline no longer commits late.
            await (try await PostgresStore.open(url: url)).close()
            let store = try await PostgresStore.open(url: url, attemptDeadline: .seconds(1))
            let attempts = Counter()
            // The first attempt waits far past its deadline; the next ones answer at once.
            let value = try await PostgresCutTests.within(seconds: 60, "a write whose first attempt hangs") {
                try await store.write { s in
                    if await attempts.next() == 1 { try await s.query("SELECT pg_sleep(8)") }
                    return try await s.query("SELECT 41 + 1").first?.int(0)
                }
            }
            #expect(value == 42)
            // Two attempts on a quiet machine; under heavy load a later attempt may miss the 1 s too.
            #expect(await attempts.count >= 2, "the hung first attempt was abandoned and the write run again")

            // Every attempt hangs: the store gives up with a clear error, it does not wait forever.
            let failure = await #expect(throws: StoreError.self) {
                try await PostgresCutTests.within(seconds: 60, "a write whose every attempt hangs") {
                    try await store.write { s in try await s.query("SELECT pg_sleep(8)") }
                }
            }
            #expect("\(failure.map { "\($0)" } ?? "")".contains("no answer within"))
            await store.close()
        }
    }
}

/// A store whose writes commit, then run again in a second transaction: what the PostgreSQL
/// store's retry does when a COMMIT succeeded but its answer was lost. Reads go straight through.
private actor CommitsTwice: SQLBackedStore {
    let inner: any SQLBackedStore
    private(set) var runs = 0
    init(inner: any SQLBackedStore) { self.inner = inner }

    nonisolated var dialect: SQLDialect { inner.dialect }
    func migrate() async throws { try await inner.migrate() }
    func store(_ summary: DaySummary, receivedAt: Date) async throws -> StoreOutcome {
        try await inner.store(summary, receivedAt: receivedAt)
    }
    func store(_ prepared: PreparedSummary) async throws -> StoreOutcome { try await inner.store(prepared) }
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await inner.read(body)
    }
    func select(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try await inner.select(sql, binds) }
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        runs = 0
        _ = try await inner.write(body)
        runs += 1
        let second = try await inner.write(body)
        runs += 1
        return second
    }
    func close() async {}
}

private actor Counter {
    var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
