import Foundation
import Shared

/// Reads approved leaves: CSV `person,start,end,kind[,note]` with a header row.
///
/// `start` and `end` are whole dates (`2026-11-03`: from midnight of the first date to midnight
/// after the last, `wholeDays`) or times (`2026-11-02 09:00`, the end exclusive). Columns by
/// English or Chinese name: person (`person`, `id`, `工号`), start (`start`, `开始`, `开始时间`),
/// end (`end`, `结束`, `结束时间`), kind (`kind`, `type`, `类型`, `假别`), note (`note`, `备注`).
/// A row with no person, a start or end that is not a date, or an end not after its start is a
/// `bad_line` item and is skipped.
enum LeavesFileReader {
    static let personAliases = CSVTable.personAliases
    static let startAliases = ["start", "from", "begin", "开始", "开始时间", "开始日期", "起始时间"]
    static let endAliases = ["end", "to", "until", "结束", "结束时间", "结束日期", "截止时间"]
    static let kindAliases = ["kind", "type", "类型", "假别", "请假类型", "种类"]
    static let noteAliases = ["note", "reason", "备注", "事由", "说明"]

    /// Reads the leaves at `url`; throws an `InputError` when it cannot be read or has no header.
    static func read(contentsOf url: URL, displayName: String, fileIndex: Int32) throws -> TableReadout<Leave> {
        let table = try CSVTable.read(contentsOf: url, displayName: displayName, expected: header) { isHeader($0) }
        return leaves(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    /// Reads a leaves file's bytes, as `read(contentsOf:)` does.
    static func read(data: Data, displayName: String, fileIndex: Int32) throws -> TableReadout<Leave> {
        let table = try CSVTable.parse(data, displayName: displayName, expected: header) { isHeader($0) }
        return leaves(in: table, displayName: displayName, fileIndex: fileIndex)
    }

    private static let header = "person,start,end,kind[,note] (or 工号,开始,结束,类型[,备注])"

    private static func isHeader(_ keys: [String]) -> Bool {
        keys.contains(where: personAliases.contains) && keys.contains(where: startAliases.contains)
            && keys.contains(where: endAliases.contains)
    }

    /// A start or end cell: the time it stands for and whether it was a whole date.
    private enum Bound {
        case date(CivilDate)
        case time(LocalDateTime)
    }

    private static func bound(_ text: String) -> Result<Bound, RowProblem> {
        if let date = TableDates.date(text) { return .success(.date(date)) }
        let result = TableDates.dateTime(text)
        if case .time(let t) = result { return .success(.time(t)) }
        if text.isEmpty { return .failure(.init("empty")) }
        let problem = result == .malformed ? "is not a date (yyyy-MM-dd) or a time (yyyy-MM-dd HH:mm)"
            : TimestampParser.problem(result) ?? ""
        return .failure(.init("\"\(text)\" \(problem)"))
    }

    private static func leaves(in table: CSVTable, displayName: String, fileIndex: Int32) -> TableReadout<Leave> {
        let person = table.column(personAliases)
        let start = table.column(startAliases)
        let end = table.column(endAliases)
        let kind = table.column(kindAliases)
        let note = table.column(noteAliases)
        var out = TableReadout<Leave>()
        func bad(_ row: CSVTable.Row, _ column: Int?, _ fallback: String, _ message: String) {
            let field = table.name(column, default: fallback)
            out.quality.append(QualityItem(kind: .badLine, file: displayName, line: row.line, field: field,
                                           message: "\(field): \(message)"))
        }
        for row in table.rows {
            guard !row[person].isEmpty else { bad(row, person, "person", "empty"); continue }
            let from: Bound
            switch bound(row[start]) {
            case .success(let b): from = b
            case .failure(let f): bad(row, start, "start", f.message); continue
            }
            let to: Bound
            switch bound(row[end]) {
            case .success(let b): to = b
            case .failure(let f): bad(row, end, "end", f.message); continue
            }
            var wholeDays = true
            let startTime: LocalDateTime
            switch from {
            case .date(let d): startTime = d.midnight
            case .time(let t): startTime = t; wholeDays = false
            }
            let endTime: LocalDateTime
            switch to {
            case .date(let d): endTime = d.adding(days: 1).midnight
            case .time(let t): endTime = t; wholeDays = false
            }
            guard endTime > startTime else {
                bad(row, end, "end", "\(row[end]) is not after the start \(row[start])")
                continue
            }
            let noteText = row[note]
            out.rows.append(Leave(person: row[person], start: startTime, end: endTime, wholeDays: wholeDays,
                                  kind: row[kind], note: noteText.isEmpty ? nil : noteText,
                                  source: SourceRef(file: fileIndex, line: Int32(row.line))))
        }
        return out
    }
}
