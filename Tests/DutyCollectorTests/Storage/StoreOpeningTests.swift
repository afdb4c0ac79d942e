import Foundation
import Testing
@testable import DutyCollector

/// Opening stores: URLs, and databases that are not there.
@Suite("Store opening")
struct StoreOpeningTests {
    @Test func unreachablePostgresNamesTheServer() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(url: "postgres://u:secret@127.0.0.1:9/dutywatch", timeout: .seconds(3))
        }
        guard case .unavailable(let message)? = error else { Issue.record("not unavailable: \(String(describing: error))"); return }
        #expect(message.contains("127.0.0.1:9/dutywatch"))
        #expect(!message.contains("secret"))
        #expect(message.lowercased().contains("refused"))
    }

    @Test func unopenableSQLiteNamesTheFile() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await SQLiteStore.open(path: "/proc/dutywatch/collector.sqlite")
        }
        #expect(error.map { "\($0)".contains("/proc/dutywatch/collector.sqlite") } == true)
    }

    @Test func sqliteIsDurableWALAndKeepsWhatItAcknowledged() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nested/collector.sqlite").path
        let summary = StorageSamples.summary(date: StorageSamples.day(2), revision: 3, units: [StorageSamples.squad1: (4, 4)],
                                             anomalies: [StorageSamples.anomaly("p1", .late, unit: StorageSamples.squad1,
                                                                                date: StorageSamples.day(2))])
        let first = try await SQLiteStore.open(path: path)
        #expect(try await first.select("PRAGMA journal_mode", []).first?.text(0) == "wal")
        #expect(try await first.select("PRAGMA synchronous", []).first?.int(0) == 2)  // FULL
        #expect(try await first.store(summary, receivedAt: StorageSamples.time(1)) == .stored)
        await first.close()

        let again = try await CollectorStores.open(databaseURL: "sqlite:" + path)
        #expect(try await again.summary(agent: "a1", date: StorageSamples.day(2)) == summary)
        #expect(try await again.store(summary, receivedAt: StorageSamples.time(2)) == .unchanged)
        #expect(try await again.anomalies(AnomalyFilter()).count == 1)
        await again.close()
    }

    @Test func aFileLockedByAnotherProcessIsUnavailableNotAnError() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-busy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("collector.sqlite").path
        let store = try await SQLiteStore.open(path: path, busyTimeout: .milliseconds(200))
        // Another writer (as another process would) holds the write lock.
        let other = try await SQLiteSession.open(path: path)
        try await SQLiteSession(connection: other).query("BEGIN IMMEDIATE")
        let summary = StorageSamples.summary(date: StorageSamples.day(2), revision: 1, units: [StorageSamples.squad1: (1, 1)])
        let error = await #expect(throws: StoreError.self) { _ = try await store.store(summary, receivedAt: StorageSamples.time(1)) }
        #expect(error.map { "\($0)".contains(path) } == true)
        try await SQLiteSession(connection: other).query("ROLLBACK")
        try await other.close()
        #expect(try await store.store(summary, receivedAt: StorageSamples.time(2)) == .stored)
        await store.close()
    }

    @Test func postgresURLs() throws {
        let u = try PostgresURL("postgres://duty:p%40ss@db.example:6543/org?sslmode=disable")
        #expect(u.user == "duty" && u.password == "p@ss" && u.host == "db.example")
        #expect(u.port == 6543 && u.database == "org" && u.tlsDisabled)
        #expect(try PostgresURL("postgresql://duty@db").target == "db:5432/duty")
        #expect(throws: StoreError.self) { try PostgresURL("mysql://x@y/z") }
        #expect(throws: StoreError.self) { try PostgresURL("postgres:///z") }
        #expect(PostgresURL.redacted("postgres://u:secret@h/d") == "postgres://u:***@h/d")
        #expect(CollectorStores.sqlitePath("sqlite:/var/lib/duty.db") == "/var/lib/duty.db")
        #expect(CollectorStores.sqlitePath("data/collector.sqlite") == "data/collector.sqlite")
    }

    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresSession.numbered("SELECT ? , '?' FROM t WHERE a = ? AND b = '?x'") ==
                "SELECT $1 , '?' FROM t WHERE a = $2 AND b = '?x'")
    }
}
