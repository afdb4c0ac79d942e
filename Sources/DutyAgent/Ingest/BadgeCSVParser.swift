import Foundation
import Shared

/// Reads a generic badge CSV export from UTF-8 bytes.
///
/// Rows above the header (a title such as `考勤记录表`) are skipped: the header is the first row
/// with a badge column and a time column (see `BadgeCSVColumns`). A repeated header further
/// down (two exports pasted together) is skipped as well.
struct BadgeCSVParser {
    /// The reader for rows without a device column or with an empty one.
    let fallbackReader: String

    /// How many non-blank lines may come before the header.
    static let headerSearchLines = 50

    /// A header: its 1-based line, the separator and the columns.
    struct Header {
        var line: Int
        var separator: UInt8
        var columns: BadgeCSVColumns
    }

    /// The header of `b[start..<end]`, looked for in the first `headerSearchLines` non-blank lines.
    static func findHeader(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Header? {
        var found: Header?
        var nonBlank = 0
        var fields: [CSVLine.Field] = []
        ByteText.forEachLine(b, from: start, to: end) { s, e, line in
            if ByteText.isBlank(b, s, e) { return true }
            nonBlank += 1
            if let header = header(b, s, e, line: line, fields: &fields) {
                found = header
                return false
            }
            return nonBlank < headerSearchLines
        }
        return found
    }

    /// The header in line `s..<e`, if it is one.
    static func header(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, line: Int, fields: inout [CSVLine.Field]) -> Header? {
        let separator = CSVLine.separator(of: b, s, e)
        CSVLine(separator: separator).split(b, s, e, into: &fields)
        let names = fields.map { CSVLine.headerKey(CSVLine.text(b, $0)) }
        guard let columns = BadgeCSVColumns(header: names) else { return nil }
        var shown = columns
        shown.names = fields.map { CSVLine.text(b, $0) }
        return Header(line: line, separator: separator, columns: shown)
    }

    /// Reads `b[start..<end]` (a byte order mark and padding already dropped) into `builder`.
    func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into builder: inout BadgeReadoutBuilder) {
        guard let header = Self.findHeader(b, from: start, to: end) else {
            ByteText.forEachLine(b, from: start, to: end) { s, e, line in
                if ByteText.isBlank(b, s, e) {
                    builder.blank()
                } else {
                    builder.bad(line: line, message: "header: no header row with a badge column (工号, 考勤号码, AC-No., id, …) "
                        + "and a time column (日期时间, 打卡时间, time, …) in the first \(Self.headerSearchLines) lines")
                }
                return true
            }
            return
        }
        let columns = header.columns
        let splitter = CSVLine(separator: header.separator)
        var fields: [CSVLine.Field] = []
        fields.reserveCapacity(16)
        var headerFields: [CSVLine.Field] = []
        var cachedReader = fallbackReader
        var cachedBytes: [UInt8] = []

        // A record may span lines (a quoted note with a line break): it keeps the line where it
        // starts, and its further lines are counted as holding no record of their own.
        ByteText.forEachRecord(b, from: start, to: end) { s, e, line, lines in
            for _ in 1..<lines { builder.blank() }
            if line <= header.line || ByteText.isBlank(b, s, e) {
                builder.blank()
                return true
            }
            splitter.split(b, s, e, into: &fields)
            switch readTime(b, fields, columns) {
            case .failure(let failure):
                if Self.header(b, s, e, line: line, fields: &headerFields) != nil {
                    builder.blank()  // a repeated header
                } else {
                    builder.bad(line: line, message: failure.message)
                }
                return true
            case .success(let time):
                guard columns.badge < fields.count, fields[columns.badge].start < fields[columns.badge].end else {
                    builder.bad(line: line, message: "\(columns.name(columns.badge)): empty")
                    return true
                }
                let badgeField = fields[columns.badge]
                if ByteText.hasControlBytes(b, badgeField.start, badgeField.end) {
                    builder.bad(line: line, message: "\(columns.name(columns.badge)): "
                        + "\(ByteText.shown(b, badgeField.start, badgeField.end)) holds control bytes")
                    return true
                }
                var state: Int16? = nil
                if let c = columns.state, c < fields.count, fields[c].start < fields[c].end {
                    state = DirectionNames.state(CSVLine.text(b, fields[c]))
                }
                var reader = fallbackReader
                if let c = columns.device, c < fields.count, fields[c].start < fields[c].end {
                    let f = fields[c]
                    if !cachedBytes.elementsEqual(UnsafeBufferPointer(rebasing: b[f.start..<f.end])) {
                        cachedBytes = Array(b[f.start..<f.end])
                        cachedReader = CSVLine.text(b, f)
                    }
                    reader = cachedReader
                }
                builder.punch(badge: CSVLine.text(b, badgeField), time: time, reader: reader, state: state, line: line)
                return true
            }
        }
    }

    /// The row's time from its time column, or from its date and time columns.
    private func readTime(_ b: UnsafeBufferPointer<UInt8>, _ fields: [CSVLine.Field], _ columns: BadgeCSVColumns)
        -> Result<LocalDateTime, RowProblem>
    {
        let primary = columns.time ?? columns.date!
        guard primary < fields.count else {
            return .failure(RowProblem("\(columns.name(primary)): missing (the row has \(fields.count) field\(fields.count == 1 ? "" : "s"))"))
        }
        let f = fields[primary]
        let whole = TimestampParser.parse(b, f.start, f.end)
        if case .time(let t) = whole { return .success(t) }
        // A date column beside a time-of-day column.
        if let time = columns.time, let date = columns.date, date < fields.count, whole == .malformed {
            let d = fields[date]
            let (day, dayResult) = TimestampParser.parseDate(b, d.start, d.end)
            guard let day else {
                let problem = TimestampParser.problem(dayResult) ?? ""
                return .failure(RowProblem("\(columns.name(date)): \(ByteText.shown(b, d.start, d.end)) \(problem)"))
            }
            let (seconds, clockResult) = TimestampParser.parseClock(b, f.start, f.end)
            guard let seconds else {
                let problem = clockResult == .noSuchTime ? "is a time of day that does not exist" : "is not a time of day (HH:mm[:ss])"
                return .failure(RowProblem("\(columns.name(time)): \(ByteText.shown(b, f.start, f.end)) \(problem)"))
            }
            guard TimestampParser.years.contains(day.year) else {
                let problem = TimestampParser.problem(.implausibleYear(day.year)) ?? ""
                return .failure(RowProblem("\(columns.name(date)): \(ByteText.shown(b, d.start, d.end)) \(problem)"))
            }
            return .success(LocalDateTime(date: day, secondsOfDay: seconds))
        }
        let problem = f.start == f.end ? "empty" : "\(ByteText.shown(b, f.start, f.end)) \(TimestampParser.problem(whole) ?? "")"
        return .failure(RowProblem("\(columns.name(primary)): \(problem)"))
    }
}
