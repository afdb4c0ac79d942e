import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// What only PostgreSQL has: several collectors over one database, and connections that drop.
@Suite("PostgreSQL store", .enabled(
    if: StorageBackend.postgresURL != nil || StorageBackend.inCI,
    "DUTYWATCH_TEST_POSTGRES_URL is not set: the PostgreSQL cases are SKIPPED (run scripts/start-postgres.sh)"))
struct PostgresStoreTests {
    @Test func severalCollectorsOverOneDatabase() async throws {
        try await StorageBackend.withPostgresDatabase { url, _, _ in
            // Three collectors start together (migrations serialised by the advisory lock) ...
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<3 { group.addTask { try await PostgresStore.open(url: url) } }
                var all: [PostgresStore] = []
                for try await s in group { all.append(s) }
                return all
            }
            // ... and receive the same revisions of one day, and other days, at once.
            let revisions = (1...10).map { r in
                S.summary(agent: "shared", date: S.day(9), revision: r, units: [S.squad1: (r, r)],
                          anomalies: (0..<r).map { S.anomaly("x\($0)", .late, unit: S.squad1, date: S.day(9), minutes: 1) })
            }
            let others = (1...20).map { d in S.summary(agent: "other", date: S.day(d), revision: 1, units: [S.office: (5, 5)]) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, s) in (revisions + revisions + others).shuffled().enumerated() {
                    let store = stores[i % stores.count]
                    group.addTask { _ = try await store.store(s, receivedAt: S.time(i)) }
                }
                try await group.waitForAll()
            }
            for store in stores {
                #expect(try await store.summary(agent: "shared", date: S.day(9))?.revision == 10)
                let root = try #require(try await store.unitFigures(from: S.day(1), to: S.day(30), under: nil).first)
                #expect(root.scheduled == 10 + 20 * 5)
                #expect(root.kinds[.late] == KindFigures(count: 10, minutes: 10))
            }
            for store in stores { await store.close() }
        }
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await StorageBackend.withPostgresDatabase { url, name, server in
            let store = try await PostgresStore.open(url: url)
            #expect(try await store.store(S.summary(date: S.day(1), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(1)) == .stored)
            let ended = try await PostgresAdmin.terminateConnections(to: name, serverURL: server)
            #expect(ended >= 1)
            #expect(try await store.store(S.summary(date: S.day(2), revision: 1, units: [S.squad1: (1, 1)]), receivedAt: S.time(2)) == .stored)
            #expect(try await store.unitFigures(from: S.day(1), to: S.day(2), under: nil).first?.scheduled == 2)

            // A connection cut in the middle of a transaction: the transaction is run again.
            let attempts = Attempts()
            async let cut: Int = {
                try await Task.sleep(for: .milliseconds(300))
                return try await PostgresAdmin.terminateConnections(to: name, serverURL: server)
            }()
            try await store.write { s in
                await attempts.add()
                try await s.query("SELECT pg_sleep(1)")
                try await s.query("UPDATE summaries SET site = 'after the cut' WHERE date = ?", [.text(S.day(1).description)])
            }
            #expect(try await cut >= 1)
            #expect(await attempts.count == 2)
            #expect(try await store.summary(agent: "a1", date: S.day(1)) != nil)
            #expect(try await store.read { s in try await s.query("SELECT site FROM summaries WHERE date = ?", [.text(S.day(1).description)]) }
                .first?.text(0) == "after the cut")
            await store.close()
        }
    }
}

/// Counts a transaction body's runs.
private actor Attempts {
    var count = 0
    func add() { count += 1 }
}
