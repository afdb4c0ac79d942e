import Foundation
import Shared

/// Reads the transfers file (调动): CSV `person,date,unit` with a header row.
///
/// Columns by English or Chinese name: person (the people aliases), date (`date`, `日期`,
/// `调动日期`, `生效日期`), unit (`unit`, `部门`, `单位`, `调入部门`). From `date` on the person
/// belongs to `unit`. A row with no person, a date that does not exist or an empty unit is a
/// `bad_line` item and is skipped.
enum TransfersFileReader {
    static let personAliases = CSVTable.personAliases
    static let dateAliases = ["date", "日期", "调动日期", "生效日期"]
    static let unitAliases = ["unit", "部门", "单位", "调入部门", "新部门", "科室"]

    /// Reads the transfers at `url`: each with the place of its row, for later problems.
    static func read(contentsOf url: URL, displayName: String, fileIndex: Int32) throws -> TableReadout<(Transfer, SourceRef)> {
        let table = try CSVTable.read(contentsOf: url, displayName: displayName, expected: header) { isHeader($0) }
        return transfers(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    /// Reads a transfers file's bytes, as `read(contentsOf:)` does.
    static func read(data: Data, displayName: String, fileIndex: Int32) throws -> TableReadout<(Transfer, SourceRef)> {
        let table = try CSVTable.parse(data, displayName: displayName, expected: header) { isHeader($0) }
        return transfers(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    private static let header = "person,date,unit (or 工号,调动日期,调入部门)"

    private static func isHeader(_ keys: [String]) -> Bool {
        keys.contains(where: personAliases.contains) && keys.contains(where: dateAliases.contains)
            && keys.contains(where: unitAliases.contains)
    }

    private static func transfers(in table: CSVTable, displayName: String, fileIndex: Int32) -> TableReadout<(Transfer, SourceRef)> {
        let person = table.column(personAliases)
        let date = table.column(dateAliases)
        let unit = table.column(unitAliases)
        var out = TableReadout<(Transfer, SourceRef)>()
        func bad(_ row: CSVTable.Row, _ column: Int?, _ fallback: String, _ message: String) {
            let field = table.name(column, default: fallback)
            out.quality.append(QualityItem(kind: .badLine, file: displayName, line: row.line, field: field,
                                           message: "\(field): \(message)"))
        }
        for row in table.rows {
            guard !row[person].isEmpty else { bad(row, person, "person", "empty"); continue }
            guard let day = TableDates.date(row[date]) else {
                bad(row, date, "date", row[date].isEmpty ? "empty" : "\"\(row[date])\" is not a date (yyyy-MM-dd)")
                continue
            }
            let path = UnitPath(row[unit])
            guard !path.components.isEmpty else { bad(row, unit, "unit", "empty"); continue }
            out.rows.append((Transfer(person: row[person], date: day, unit: path),
                             SourceRef(file: fileIndex, line: Int32(row.line))))
        }
        return out
    }
}
