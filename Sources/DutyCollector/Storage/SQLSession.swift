import Foundation

/// A value bound to or read from SQL, the same for SQLite and PostgreSQL.
enum SQLValue: Sendable, Equatable {
    case int(Int)
    case text(String)
    case null

    /// A text value, or NULL for nil.
    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

    /// An integer value, or NULL for nil.
    static func int(_ value: Int?) -> SQLValue { value.map { .int($0) } ?? .null }

    /// A time as milliseconds since 1970 (the storage keeps times to the millisecond), or NULL.
    static func time(_ date: Date?) -> SQLValue { date.map { .int(SQLValue.milliseconds($0)) } ?? .null }

    /// Milliseconds since 1970, rounded.
    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// One result row, its values in the order of the SELECT list.
struct SQLRow: Sendable {
    var values: [SQLValue]

    /// The integer at `index`; 0 for NULL.
    func int(_ index: Int) -> Int {
        if case .int(let v) = values[index] { return v }
        if case .text(let s) = values[index] { return Int(s) ?? 0 }
        return 0
    }

    /// The integer at `index`, nil for NULL.
    func optionalInt(_ index: Int) -> Int? {
        if case .null = values[index] { return nil }
        return int(index)
    }

    /// The text at `index`; "" for NULL.
    func text(_ index: Int) -> String { optionalText(index) ?? "" }

    /// The text at `index`, nil for NULL.
    func optionalText(_ index: Int) -> String? {
        switch values[index] {
        case .text(let s): s
        case .int(let v): String(v)
        case .null: nil
        }
    }

    /// The time (milliseconds since 1970) at `index`, nil for NULL.
    func time(_ index: Int) -> Date? {
        optionalInt(index).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}

/// The SQL dialects the collector speaks. The queries are written once with `?` placeholders;
/// the PostgreSQL session numbers them. Only the DDL and row locking differ.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The column definition of an auto-incremented 64-bit key.
    var serialKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGSERIAL PRIMARY KEY"
        }
    }

    /// Appended to a text column in ORDER BY so both databases sort by code point whatever the
    /// PostgreSQL database's collation.
    var byteOrder: String {
        switch self {
        case .sqlite: ""
        case .postgres: " COLLATE \"C\""
        }
    }

    /// The clause that locks the selected rows until the transaction ends (SQLite locks the whole
    /// database on `BEGIN IMMEDIATE` instead).
    var forUpdate: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }
}

/// A connection inside one transaction (or a read-only snapshot): runs one statement at a time.
protocol SQLSession: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement with `?` placeholders bound to `binds`, returning its rows.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Inserts `rows` into `table`; `suffix` is appended to the statement (e.g. ON CONFLICT).
    /// Returns the rows of its RETURNING clause, if `suffix` has one. Sessions share
    /// `insertValues` (multi-row `VALUES` lists); PostgreSQL's sends each column as one array.
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws -> [SQLRow]
}

extension SQLSession {
    /// Runs one statement without parameters.
    @discardableResult
    func query(_ sql: String) async throws -> [SQLRow] { try await query(sql, []) }

    /// Inserts `rows` into `table` (no suffix).
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[SQLValue]]) async throws -> [SQLRow] {
        try await insert(into: table, columns: columns, rows: rows, suffix: "")
    }

    @discardableResult
    func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws -> [SQLRow] {
        try await insertValues(into: table, columns: columns, rows: rows, suffix: suffix)
    }

    /// Inserts `rows` into `table` with multi-row `INSERT ... VALUES (...), (...)`, in chunks that stay
    /// under both databases' parameter limits. `suffix` is appended to each statement (e.g. ON CONFLICT).
    /// Returns the rows of the statements' RETURNING clause, if `suffix` has one.
    @discardableResult
    func insertValues(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws -> [SQLRow] {
        guard !rows.isEmpty else { return [] }
        var returned: [SQLRow] = []
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let perChunk = max(1, 16_000 / columns.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perChunk)]
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            sql += Array(repeating: tuple, count: chunk.count).joined(separator: ",")
            if !suffix.isEmpty { sql += " " + suffix }
            returned += try await query(sql, chunk.flatMap { $0 })
            start += perChunk
        }
        return returned
    }
}
