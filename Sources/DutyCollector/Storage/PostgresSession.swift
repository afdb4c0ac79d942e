import Foundation
import Logging
import PostgresNIO

/// A `SQLSession` over one leased PostgreSQL connection; numbers the `?` placeholders `$1, $2, …`.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .int(let v): bindings.append(v)
            case .text(let s): bindings.append(s)
            case .null: bindings.appendNull()
            }
        }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings), logger: logger)
        var result: [SQLRow] = []
        for try await row in rows {
            result.append(SQLRow(values: row.map(Self.value)))
        }
        return result
    }

    /// Inserts `rows` as `INSERT ... SELECT u.c0, ... FROM unnest($1::bigint[], $2::text[], ...) AS u(c0, ...)`:
    /// one array a column, whatever the number of rows. The multi-row `VALUES` list it replaces had
    /// a placeholder a cell (a batch of summaries: thousands) that PostgreSQL parsed, typed and
    /// planned anew in every statement, and that the collector wrote into the statement's text.
    /// A column of NULLs alone is a plain `NULL`, which takes the column's own type.
    @discardableResult
    func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws -> [SQLRow] {
        guard !rows.isEmpty else { return [] }
        var bindings = PostgresBindings(capacity: columns.count)
        var arrays: [String] = [], names: [String] = [], selected: [String] = []
        for (c, name) in columns.enumerated() {
            let values = rows.map { $0[c] }
            guard let column = try PostgresColumn(values, table: table, column: name) else {
                selected.append("NULL")
                continue
            }
            bindings.append(column)
            arrays.append("$\(arrays.count + 1)::\(column.isInteger ? "bigint[]" : "text[]")")
            names.append("c\(c)")
            selected.append("u.c\(c)")
        }
        guard !arrays.isEmpty else { return try await insertValues(into: table, columns: columns, rows: rows, suffix: suffix) }
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(selected.joined(separator: ", ")) "
            + "FROM unnest(\(arrays.joined(separator: ", "))) AS u(\(names.joined(separator: ", ")))"
        if !suffix.isEmpty { sql += " " + suffix }
        let result = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var returned: [SQLRow] = []
        for try await row in result { returned.append(SQLRow(values: row.map(Self.value))) }
        return returned
    }

    /// `sql` with each `?` outside quotes replaced by `$n`.
    /// Works on the bytes (`?` and `'` are ASCII, never part of another UTF-8 sequence): a batch's
    /// multi-row INSERT has thousands of placeholders.
    static func numbered(_ sql: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count * 2)
        var n = 0
        var quoted = false
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "'") { quoted.toggle() }
            if byte == UInt8(ascii: "?") && !quoted {
                n += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(n).utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a cell straight from its bytes (binary integers, UTF-8 text); other types through
    /// PostgresNIO's decoders.
    private static func value(_ cell: PostgresCell) -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .binary {
            switch cell.dataType {
            case .int8: if let v = bytes.readInteger(as: Int64.self) { return .int(Int(v)) }
            case .int4: if let v = bytes.readInteger(as: Int32.self) { return .int(Int(v)) }
            case .int2: if let v = bytes.readInteger(as: Int16.self) { return .int(Int(v)) }
            case .bool: if let v = bytes.readInteger(as: UInt8.self) { return .int(v == 0 ? 0 : 1) }
            case .text, .varchar, .name, .bpchar: return .text(bytes.readString(length: bytes.readableBytes) ?? "")
            default: break
            }
        }
        switch cell.dataType {
        case .int8, .int4, .int2, .numeric:
            return (try? cell.decode(String.self)).flatMap { Int($0) }.map { .int($0) }
                ?? (try? cell.decode(Int.self)).map { .int($0) } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        default:
            return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}

/// One column of an insert's rows as a PostgreSQL array (`bigint[]` or `text[]`, NULLs kept), in
/// the binary array format: dimensions, a has-NULL flag, the element type, the length and lower
/// bound, then each element's length (-1: NULL) and bytes.
struct PostgresColumn: PostgresDynamicTypeEncodable {
    private let values: [SQLValue]
    /// Integers (`bigint[]`), else text (`text[]`).
    let isInteger: Bool

    /// Nil for a column of NULLs alone, whose type its values do not tell. Throws when the column
    /// mixes integers and text, which no column of the schema holds.
    init?(_ values: [SQLValue], table: String, column: String) throws {
        var integers = false, texts = false
        for value in values {
            switch value {
            case .int: integers = true
            case .text: texts = true
            case .null: break
            }
        }
        guard !(integers && texts) else {
            throw StoreError.conflict("\(table).\(column): one column given both integers and text")
        }
        guard integers || texts else { return nil }
        self.values = values
        self.isInteger = integers
    }

    var psqlType: PostgresDataType { isInteger ? .int8Array : .textArray }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        let hasNull = values.contains { if case .null = $0 { true } else { false } }
        buffer.writeInteger(1, as: Int32.self)
        buffer.writeInteger(hasNull ? 1 : 0, as: Int32.self)
        buffer.writeInteger((isInteger ? PostgresDataType.int8 : .text).rawValue)
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            switch value {
            case .int(let v):
                buffer.writeInteger(8, as: Int32.self)
                buffer.writeInteger(Int64(v))
            case .text(let s):
                let start = buffer.writerIndex
                buffer.writeInteger(0, as: Int32.self)
                let length = buffer.writeString(s)
                buffer.setInteger(Int32(length), at: start)
            case .null:
                buffer.writeInteger(-1, as: Int32.self)
            }
        }
    }
}
