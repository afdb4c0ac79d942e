import Foundation
import Testing
@testable import DutyCollector

/// The databases the storage suite runs against.
enum StorageBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The server URL for PostgreSQL tests (`scripts/start-postgres.sh` prints it).
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DUTYWATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether this is a CI run (where PostgreSQL must be there).
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    /// SQLite always; PostgreSQL when a server is configured, or in CI (where its absence fails).
    static var available: [StorageBackend] { postgresURL != nil || inCI ? [.sqlite, .postgres] : [.sqlite] }

    /// Runs `body` against a fresh, migrated store: a new SQLite file, or a new PostgreSQL database
    /// dropped afterwards.
    func withStore(_ body: (any CollectorStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        case .postgres:
            try await StorageBackend.withPostgresDatabase { url, _, _ in
                let store = try await PostgresStore.open(url: url)
                var failure: (any Error)?
                do { try await body(store) } catch { failure = error }
                await store.close()
                if let failure { throw failure }
            }
        }
    }

    /// Runs `body` with the URL of a new, empty PostgreSQL database (its name and the server URL
    /// too), dropped afterwards.
    static func withPostgresDatabase(_ body: (_ url: String, _ name: String, _ server: String) async throws -> Void) async throws {
        let server = try #require(postgresURL, "PostgreSQL required in CI: set DUTYWATCH_TEST_POSTGRES_URL (scripts/start-postgres.sh)")
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url = try await PostgresAdmin.createDatabase(name, serverURL: server)
        var failure: (any Error)?
        do { try await body(url, name, server) } catch { failure = error }
        try await PostgresAdmin.dropDatabase(name, serverURL: server)
        if let failure { throw failure }
    }
}
