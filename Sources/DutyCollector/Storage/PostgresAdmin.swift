import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Creates and drops databases on a PostgreSQL server (first-time set-up, and a fresh database per
/// storage test). Runs outside any transaction, as `CREATE DATABASE` must.
enum PostgresAdmin {
    /// Creates database `name` (letters, digits and `_` only) on the server of `url`, whose own
    /// database is used to connect. Returns the URL of the new database.
    static func createDatabase(_ name: String, serverURL url: String) async throws -> String {
        try check(name)
        try await execute("CREATE DATABASE \"\(name)\"", url: url)
        var c = URLComponents(string: url)!
        c.path = "/" + name
        return c.string!
    }

    /// Drops database `name` if it exists, closing any connection still open to it.
    static func dropDatabase(_ name: String, serverURL url: String) async throws {
        try check(name)
        try await execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", url: url)
    }

    /// Ends every session connected to database `name` but this one (an operator's tool, and how the
    /// tests cut a collector's connections to see it reconnect). Returns how many were ended.
    @discardableResult
    static func terminateConnections(to name: String, serverURL url: String) async throws -> Int {
        try check(name)
        let rows = try await execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()
            """, url: url)
        return rows
    }

    private static func check(_ name: String) throws {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (48...57).contains($0) || (97...122).contains($0) })
        else { throw StoreError.conflict("database name \(name) is not lower-case letters, digits and _") }
    }

    /// Runs `sql` on its own connection; returns the number of rows it answered.
    @discardableResult
    private static func execute(_ sql: String, url: String) async throws -> Int {
        let settings = try PostgresURL(url)
        let logger = Logger(label: "duty.collector.postgres.admin")
        let connection = try await connect(settings, logger: logger)
        do {
            var count = 0
            for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) { count += 1 }
            try await connection.close()
            return count
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// One connection outside the pool; throws `StoreError.unavailable` naming the server and the
    /// reason (refused, unknown host, bad password…) when it cannot be made.
    static func connect(_ settings: PostgresURL, logger: Logger) async throws -> PostgresConnection {
        do {
            let configuration = PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database,
                tls: try settings.tlsConfiguration.map { PostgresConnection.Configuration.TLS.require(try NIOSSLContext(configuration: $0)) }
                    ?? .disable)
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw StoreError.unavailable("PostgreSQL at \(settings.target): \(PostgresStore.describe(error))")
        }
    }
}
