import Foundation
import Shared
import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode, needing no set-up.
///
/// Writes go through one connection (`SQLiteWriter`, which groups concurrent summaries into one
/// transaction); reads use their own connections and see the last commit.
final class SQLiteStore: SQLBackedStore {
    /// The database file.
    let path: String
    private let writer: SQLiteWriter
    private let readers: SQLiteReaderPool

    private init(path: String, writer: SQLiteWriter, readers: SQLiteReaderPool) {
        self.path = path
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating if needed) the database file at `path` and applies the migrations.
    /// `busyTimeout` is how long a write waits for another process holding the file's write lock.
    /// Throws `StoreError.unavailable` naming the file when it cannot be opened.
    static func open(path: String, readers: Int = 2, busyTimeout: Duration = .seconds(10)) async throws -> SQLiteStore {
        let timeout = Int(busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000)
        var connections: [SQLiteConnection] = []
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let writerConnection = try await SQLiteSession.open(path: path, busyTimeoutMilliseconds: timeout)
            connections.append(writerConnection)
            // Checkpoints run beside the writer; its own auto-checkpoint only past ~40 MB of log.
            _ = try await writerConnection.query("PRAGMA wal_autocheckpoint = 10000")
            // 64 MB of page cache for the writer (the default is 2 MB): the indexes' pages touched by
            // a batch of anomalies stay in memory instead of being read back from the file.
            _ = try await writerConnection.query("PRAGMA cache_size = -65536")
            let checkpointConnection = try await SQLiteSession.open(path: path, busyTimeoutMilliseconds: timeout)
            connections.append(checkpointConnection)
            for _ in 0..<max(1, readers) { connections.append(try await SQLiteSession.open(path: path, busyTimeoutMilliseconds: timeout)) }
            let writer = SQLiteWriter(connection: writerConnection,
                                      checkpointer: SQLiteCheckpointer(connection: checkpointConnection))
            let store = SQLiteStore(path: path, writer: writer,
                                    readers: SQLiteReaderPool(connections: Array(connections.dropFirst(2))))
            try await store.migrate()
            return store
        } catch {
            for c in connections { try? await c.close() }
            throw StoreError.unavailable("SQLite database \(path): \(error)")
        }
    }

    func migrate() async throws {
        _ = try await write { s in try await Migrations.apply(s, now: Date()) }
    }

    func store(_ summary: DaySummary, receivedAt: Date) async throws -> StoreOutcome {
        try await store(PreparedSummary(summary, receivedAt: receivedAt))
    }

    func store(_ prepared: PreparedSummary) async throws -> StoreOutcome {
        try await unavailableWhenBusy { try await writer.store(prepared) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await readers.read(body)
    }

    var dialect: SQLDialect { .sqlite }

    func select(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await readers.select(sql, binds)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await unavailableWhenBusy { try await writer.write(body) }
    }

    /// Runs `body`, turning "the file is locked by another process past the busy timeout", "disk
    /// full" and I/O errors into `StoreError.unavailable` (worth retrying later) naming the file.
    private func unavailableWhenBusy<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SQLiteError
            where [.busy, .locked, .busyTimeout, .busyInRecovery, .busyInSnapshot, .full, .ioError].contains(error.reason) {
            throw StoreError.unavailable("SQLite database \(path): \(error)")
        }
    }

    func close() async {
        await writer.close()
        await readers.close()
    }
}
