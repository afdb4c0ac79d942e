import Foundation
import Shared

/// Reads ZKTeco punch records from bytes: USB `attlog` exports and ADMS push `ATTLOG` bodies.
///
/// USB attlog: `PIN, time, deviceId, state, verify, workcode`, 5 to 11 fields; ADMS:
/// `PIN, time, state, verify, workcode, …` with no device column. Fields are separated by tabs
/// (sometimes `|`); the PIN is right-aligned with spaces. A row whose PIN is not a number (fill
/// bytes such as `ZZZZZZZZZZ`, control bytes), whose time does not exist (2047-02-30, month 13)
/// or is implausible (year 2000 of a reset clock), or whose state is not a number, is a bad line.
struct ZKTecoLogParser {
    /// Which record layout to read.
    let format: BadgeFormat
    /// The reader id for every punch (the N of `N_attlog.dat`, the ADMS SN); nil takes the
    /// device column (attlog) or `fallbackReader`.
    let reader: String?
    /// The reader when neither `reader` nor a device column gives one.
    let fallbackReader: String

    private static let maxFields = 16
    private var fieldCount: ClosedRange<Int> { format == .zktecoADMS ? 2...Self.maxFields : 5...11 }
    private var stateColumn: Int { format == .zktecoADMS ? 2 : 3 }

    /// Reads `bytes[start..<end]` (padding already dropped) into `builder`; the first line there is
    /// line `firstLine` of the file.
    func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, firstLine: Int = 1,
               into builder: inout BadgeReadoutBuilder) {
        let bounds = UnsafeMutablePointer<Int>.allocate(capacity: 2 * Self.maxFields)
        defer { bounds.deallocate() }
        var cachedReader = ""
        var cachedStart = -1
        var cachedLength = -1
        let stateColumn = self.stateColumn
        let allowed = fieldCount

        ByteText.forEachLine(b, from: start, to: end, firstLine: firstLine) { lineStart, lineEnd, line in
            if ByteText.isBlank(b, lineStart, lineEnd) {
                builder.blank()
                return true
            }
            if b[lineStart] == UInt8(ascii: "#"), let message = ADMSJournalLine.rejectedMessage(b, lineStart, lineEnd) {
                builder.bad(line: line, message: message)
                return true
            }
            let count = split(b, lineStart, lineEnd, bounds)
            guard allowed.contains(count) else {
                builder.bad(line: line, message: describe(b, count, bounds, lineStart, lineEnd))
                return true
            }
            let (pinStart, pinEnd) = ByteText.trimmed(b, bounds[0], bounds[1])
            let (timeStart, timeEnd) = ByteText.trimmed(b, bounds[2], bounds[3])
            guard ByteText.allDigits(b, pinStart, pinEnd),
                  case .time(let time) = TimestampParser.parse(b, timeStart, timeEnd)
            else {
                builder.bad(line: line, message: describe(b, count, bounds, lineStart, lineEnd))
                return true
            }
            var state: Int16? = nil
            if count > stateColumn {
                let (s, e) = ByteText.trimmed(b, bounds[2 * stateColumn], bounds[2 * stateColumn + 1])
                if s < e {
                    guard let value = ByteText.integer(b, s, e), value <= 255 else {
                        builder.bad(line: line, message: describe(b, count, bounds, lineStart, lineEnd))
                        return true
                    }
                    state = Int16(value)
                }
            }
            let punchReader: String
            if let reader {
                punchReader = reader
            } else if format == .zktecoAttlog {
                let (s, e) = ByteText.trimmed(b, bounds[4], bounds[5])
                if s == e {
                    punchReader = fallbackReader
                } else if e - s == cachedLength, memcmp(b.baseAddress! + s, b.baseAddress! + cachedStart, e - s) == 0 {
                    punchReader = cachedReader
                } else {
                    cachedReader = ByteText.string(b, s, e)
                    cachedStart = s
                    cachedLength = e - s
                    punchReader = cachedReader
                }
            } else {
                punchReader = fallbackReader
            }
            builder.punch(badge: b, pinStart, pinEnd, time: time, reader: punchReader, state: state, line: line)
            return true
        }
    }

    /// Splits a line at tabs or `|` (whichever comes first), storing each field's start and end
    /// in `bounds`; returns how many fields there are (only the first `maxFields` are stored).
    @inline(__always)
    private func split(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ bounds: UnsafeMutablePointer<Int>) -> Int {
        var separator = ByteText.tab
        var i = start
        while i < end {
            if b[i] == ByteText.tab { break }
            if b[i] == UInt8(ascii: "|") { separator = b[i]; break }
            i += 1
        }
        var count = 0
        var fieldStart = start
        i = start
        while i < end {
            if b[i] == separator {
                if count < Self.maxFields { bounds[2 * count] = fieldStart; bounds[2 * count + 1] = i }
                count += 1
                fieldStart = i + 1
            }
            i += 1
        }
        if count < Self.maxFields { bounds[2 * count] = fieldStart; bounds[2 * count + 1] = end }
        return count + 1
    }

    /// What is wrong with a line, every field named: `PIN: "ZZZZZZZZZZ" is not a badge number; time: …`.
    private func describe(_ b: UnsafeBufferPointer<UInt8>, _ count: Int, _ bounds: UnsafeMutablePointer<Int>,
                          _ lineStart: Int, _ lineEnd: Int) -> String {
        guard fieldCount.contains(count) else {
            let layout = format == .zktecoADMS ? "PIN, time, state, verify, workcode, …" : "PIN, time, device, state, verify, workcode"
            return "fields: \(count) field\(count == 1 ? "" : "s") in \(ByteText.shown(b, lineStart, lineEnd)); a \(format.rawValue) line has "
                + "\(fieldCount.lowerBound) to \(fieldCount.upperBound) (\(layout))"
        }
        var problems: [String] = []
        let (pinStart, pinEnd) = ByteText.trimmed(b, bounds[0], bounds[1])
        if pinStart == pinEnd {
            problems.append("PIN: empty")
        } else if !ByteText.allDigits(b, pinStart, pinEnd) {
            let what = ByteText.hasControlBytes(b, pinStart, pinEnd) ? "holds control bytes" : "is not a badge number"
            problems.append("PIN: \(ByteText.shown(b, pinStart, pinEnd)) \(what)")
        }
        let (timeStart, timeEnd) = ByteText.trimmed(b, bounds[2], bounds[3])
        if let problem = TimestampParser.problem(TimestampParser.parse(b, timeStart, timeEnd)) {
            problems.append("time: \(ByteText.shown(b, timeStart, timeEnd)) \(problem)")
        }
        if count > stateColumn {
            let (s, e) = ByteText.trimmed(b, bounds[2 * stateColumn], bounds[2 * stateColumn + 1])
            if s < e, (ByteText.integer(b, s, e) ?? 256) > 255 {
                problems.append("state: \(ByteText.shown(b, s, e)) is not a state 0-255")
            }
        }
        return problems.isEmpty ? "line: unreadable" : problems.joined(separator: "; ")
    }
}
