import Foundation
import Shared

/// A small CSV file read whole into text fields: people, roster and leaves files.
///
/// UTF-8 (with or without a byte order mark) or GB18030; rows above the header are skipped;
/// the header is the first row that `isHeader` accepts.
struct CSVTable {
    /// Header names of the person column in the roster and the leaves.
    static let personAliases = ["person", "id", "person id", "工号", "人员", "编号", "人员编号"]

    /// One data row: its 1-based line in the file and its fields (cleaned as `CSVLine` does).
    struct Row {
        var line: Int
        var fields: [String]
        /// The field in `column`, or "" when the row is shorter.
        subscript(_ column: Int?) -> String {
            guard let column, column < fields.count else { return "" }
            return fields[column]
        }
    }

    /// Header names as written.
    var names: [String]
    /// Header names as compared with aliases (lower-cased, trimmed).
    var keys: [String]
    var headerLine: Int
    var rows: [Row]

    /// Reads `url`; throws an `InputError` naming `displayName` when it cannot be read or has no
    /// header within its first lines (`expected` describes the header for that message).
    static func read(contentsOf url: URL, displayName: String, expected: String,
                     isHeader: ([String]) -> Bool) throws -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(file: displayName, message: "cannot read the file (\(BadgeFileReader.reason(error)))")
        }
        return try parse(data, displayName: displayName, expected: expected, isHeader: isHeader)
    }

    /// Parses `data` as `read(contentsOf:)` does.
    static func parse(_ data: Data, displayName: String, expected: String, isHeader: ([String]) -> Bool) throws -> CSVTable {
        try TextDecoding.withUTF8(TextDecoding.utf8(fromUTF16: data) ?? data) { b, _ in
            let end = ByteText.endWithoutPadding(b)
            let start = min(ByteText.bomLength(b), end)
            var table: CSVTable?
            var rows: [Row] = []
            var splitter = CSVLine(separator: UInt8(ascii: ","))
            var fields: [CSVLine.Field] = []
            var nonBlank = 0
            var firstLine: Int?
            ByteText.forEachLine(b, from: start, to: end) { s, e, line in
                if ByteText.isBlank(b, s, e) { return true }
                if table != nil {
                    splitter.split(b, s, e, into: &fields)
                    rows.append(Row(line: line, fields: fields.map { CSVLine.text(b, $0) }))
                    return true
                }
                nonBlank += 1
                firstLine = firstLine ?? line
                guard nonBlank <= BadgeCSVParser.headerSearchLines else { return false }
                let candidate = CSVLine(separator: CSVLine.separator(of: b, s, e))
                candidate.split(b, s, e, into: &fields)
                let names = fields.map { CSVLine.text(b, $0) }
                let keys = names.map(CSVLine.headerKey)
                if isHeader(keys) {
                    splitter = candidate
                    table = CSVTable(names: names, keys: keys, headerLine: line, rows: [])
                }
                return true
            }
            guard var table else {
                throw InputError(file: displayName, line: firstLine, field: "header", message: "no header row: expected \(expected)")
            }
            table.rows = rows
            return table
        }
    }

    /// The first column named by one of `aliases` (lower-case).
    func column(_ aliases: [String]) -> Int? {
        for alias in aliases {
            if let i = keys.firstIndex(of: alias) { return i }
        }
        return nil
    }

    /// The header name of `column`, for messages.
    func name(_ column: Int?, default fallback: String) -> String {
        guard let column, column < names.count, !names[column].isEmpty else { return fallback }
        return names[column]
    }
}
