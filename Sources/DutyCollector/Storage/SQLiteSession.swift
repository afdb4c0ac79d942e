import Foundation
import SQLiteNIO

/// A `SQLSession` over one SQLiteNIO connection.
struct SQLiteSession: SQLSession {
    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let data: [SQLiteData] = binds.map {
            switch $0 {
            case .int(let v): .integer(v)
            case .text(let s): .text(s)
            case .null: .null
            }
        }
        let rows = try await connection.query(sql, data)
        return rows.map { row in
            SQLRow(values: row.columns.map { column in
                switch column.data {
                case .integer(let v): .int(Int(v))
                case .text(let s): .text(s)
                case .float(let d): .int(Int(d))
                case .blob, .null: .null
                }
            })
        }
    }

    /// Opens a connection to the file at `path` with the collector's settings: WAL, a full sync on
    /// every commit (so an acknowledged summary is on disk), and a busy timeout.
    static func open(path: String, busyTimeoutMilliseconds: Int = 10_000) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            _ = try await connection.query("PRAGMA busy_timeout = \(max(0, busyTimeoutMilliseconds))")
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA synchronous = FULL")
            // Statement journals in memory, not temporary files.
            _ = try await connection.query("PRAGMA temp_store = MEMORY")
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A few read connections handed out one caller at a time (WAL lets them read beside the writer).
actor SQLiteReaderPool {
    private var idle: [SQLiteConnection]
    private var all: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(connections: [SQLiteConnection]) {
        idle = connections
        all = connections
    }

    /// Runs `body` in a read transaction on a free connection.
    func read<T: Sendable>(_ body: @Sendable (any SQLSession) async throws -> T) async throws -> T {
        let connection = await checkOut()
        defer { checkIn(connection) }
        let session = SQLiteSession(connection: connection)
        try await session.query("BEGIN")
        do {
            let value = try await body(session)
            try await session.query("COMMIT")
            return value
        } catch {
            _ = try? await session.query("ROLLBACK")
            throw error
        }
    }

    /// Runs one statement on a free connection, outside an explicit transaction.
    func select(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let connection = await checkOut()
        defer { checkIn(connection) }
        return try await SQLiteSession(connection: connection).query(sql, binds)
    }

    private func checkOut() async -> SQLiteConnection {
        if let c = idle.popLast() { return c }
        return await withCheckedContinuation { waiters.append($0) }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        if waiters.isEmpty { idle.append(connection) } else { waiters.removeFirst().resume(returning: connection) }
    }

    /// Closes every connection.
    func close() async {
        for c in all { try? await c.close() }
        all = []
        idle = []
    }
}
