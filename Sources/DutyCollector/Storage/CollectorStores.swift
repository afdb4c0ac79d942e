import Foundation

/// Opens the store a configuration names.
enum CollectorStores {
    /// Opens and migrates the store at `databaseURL`: `postgres://…` or `postgresql://…` for
    /// PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a plain file path for SQLite (created if missing).
    /// Throws `StoreError.unavailable` naming the database when it cannot be opened or reached.
    static func open(databaseURL: String) async throws -> any CollectorStore {
        if databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") {
            return try await PostgresStore.open(url: databaseURL)
        }
        return try await SQLiteStore.open(path: sqlitePath(databaseURL))
    }

    /// The file path of a SQLite URL or path.
    static func sqlitePath(_ url: String) -> String {
        for prefix in ["sqlite://", "sqlite:", "file://", "file:"] where url.hasPrefix(prefix) {
            return String(url.dropFirst(prefix.count))
        }
        return url
    }
}
