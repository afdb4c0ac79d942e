import Foundation
import Shared

/// Reads the duty roster: CSV `date,person,shift` with a header row.
///
/// Columns by English or Chinese name: date (`date`, `日期`), person (`person`, `id`, `工号`),
/// shift (`shift`, `code`, `班次`). A row with a date that does not exist, no person or no shift
/// is a `bad_line` item and is skipped. Whether the shift code exists is the config's check.
enum RosterFileReader {
    static let dateAliases = ["date", "日期", "值班日期"]
    static let personAliases = CSVTable.personAliases
    static let shiftAliases = ["shift", "code", "shift code", "班次", "班次代码"]

    /// Reads the roster at `url`; throws an `InputError` when it cannot be read or has no header.
    static func read(contentsOf url: URL, displayName: String, fileIndex: Int32) throws -> TableReadout<RosterEntry> {
        let table = try CSVTable.read(contentsOf: url, displayName: displayName, expected: header) { isHeader($0) }
        return entries(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    /// Reads a roster's bytes, as `read(contentsOf:)` does.
    static func read(data: Data, displayName: String, fileIndex: Int32) throws -> TableReadout<RosterEntry> {
        let table = try CSVTable.parse(data, displayName: displayName, expected: header) { isHeader($0) }
        return entries(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    private static let header = "date,person,shift (or 日期,工号,班次)"

    private static func isHeader(_ keys: [String]) -> Bool {
        keys.contains(where: dateAliases.contains) && keys.contains(where: personAliases.contains)
            && keys.contains(where: shiftAliases.contains)
    }

    private static func entries(in table: CSVTable, displayName: String, fileIndex: Int32) -> TableReadout<RosterEntry> {
        let date = table.column(dateAliases)
        let person = table.column(personAliases)
        let shift = table.column(shiftAliases)
        var out = TableReadout<RosterEntry>()
        func bad(_ row: CSVTable.Row, _ column: Int?, _ fallback: String, _ message: String) {
            let field = table.name(column, default: fallback)
            out.quality.append(QualityItem(kind: .badLine, file: displayName, line: row.line, field: field,
                                           message: "\(field): \(message)"))
        }
        for row in table.rows {
            guard let day = TableDates.date(row[date]) else {
                bad(row, date, "date", row[date].isEmpty ? "empty" : "\"\(row[date])\" is not a date (yyyy-MM-dd)")
                continue
            }
            guard !row[person].isEmpty else { bad(row, person, "person", "empty"); continue }
            guard !row[shift].isEmpty else { bad(row, shift, "shift", "empty"); continue }
            out.rows.append(RosterEntry(date: day, person: row[person], shift: row[shift],
                                        source: SourceRef(file: fileIndex, line: Int32(row.line))))
        }
        return out
    }
}
