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
