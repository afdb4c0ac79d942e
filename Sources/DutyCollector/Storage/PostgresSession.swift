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
