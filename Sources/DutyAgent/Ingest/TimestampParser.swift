import Foundation
import Shared

/// Parses the date and time forms badge exports use, straight from bytes (no `DateFormatter`).
///
/// Dates: `yyyy-MM-dd`, `yyyy/MM/dd`, `yyyy.MM.dd` and `dd/MM/yyyy` (also with `-` or `.`), with
/// one- or two-digit month and day. Times: `H:mm`, `HH:mm:ss`, an optional fraction of a second
/// (dropped) and an optional `AM`/`PM`. Date and time are separated by spaces or `T`. The Chinese
/// forms too: `2026年10月9日 8:05`, `2026/10/9 上午8:05`, a time alone as `下午5:30`.
enum TimestampParser {
    /// The outcome of parsing one field: a time, or why it is not one.
    enum Result: Equatable {
        case time(LocalDateTime)
        /// Not in any of the forms above.
        case malformed
        /// Well formed, but the date does not exist (2047-02-30, month 13).
        case noSuchDate
        /// Well formed, but the time of day does not exist (25:00, 08:61).
        case noSuchTime
        /// A zone offset or `Z`: files must hold local wall-clock times.
        case zoned
        /// A year no working reader writes: 2000 (a reset clock) or after 2099.
        case implausibleYear(Int)
    }

    /// The first and last plausible years of a punch.
    static let years = 2001...2099

    /// Parses a date and time in `bytes[start..<end]`.
    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        // Fast path: exactly `yyyy-MM-dd HH:mm:ss`, what ZKTeco and most exports write.
        if end - start == 19, b[start + 4] == 45, b[start + 7] == 45, b[start + 10] == 32,
           b[start + 13] == 58, b[start + 16] == 58,
           let y = d4(b, start), let mo = d2(b, start + 5), let d = d2(b, start + 8),
           let h = d2(b, start + 11), let mi = d2(b, start + 14), let s = d2(b, start + 17) {
            return make(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        }
        return parseGeneral(b, start, end)
    }

    /// Parses a date alone (`2026-11-03`, `2026/1/5`, `05/01/2026`) in `bytes[start..<end]`.
    static func parseDate(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (CivilDate?, Result) {
        var i = start
        guard let (y, mo, d) = scanDate(b, &i, end), i == end else { return (nil, .malformed) }
        guard let date = CivilDate(year: y, month: mo, day: d) else { return (nil, .noSuchDate) }
        return (date, .time(date.midnight))
    }

    /// Parses a time of day alone (`8:05`, `08:05:09`, `8:05 PM`): seconds after midnight.
    static func parseClock(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int?, Result) {
        var i = start
        switch scanClock(b, &i, end) {
        case .some(.some(let seconds)) where i == end: return (seconds, .time(LocalDateTime(seconds: Int64(seconds))))
        case .some(.none) where i == end: return (nil, .noSuchTime)
        default: return (nil, .malformed)
        }
    }

    /// A sentence fragment saying what is wrong with a field holding `result` (nil for a time).
    static func problem(_ result: Result) -> String? {
        switch result {
        case .time: return nil
        case .malformed: return "is not a date and time (yyyy-MM-dd HH:mm:ss, yyyy/MM/dd HH:mm, dd/MM/yyyy HH:mm:ss)"
        case .noSuchDate: return "is a date that does not exist"
        case .noSuchTime: return "is a time of day that does not exist"
        case .zoned: return "carries a time-zone offset; badge times must be local wall-clock times"
        case .implausibleYear(let y):
            return y < years.lowerBound ? "is in \(y), a device clock that was reset" : "is in \(y), beyond any plausible punch"
        }
    }

    // MARK: - General forms

    private static func parseGeneral(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        var i = start
        guard let (y, mo, d) = scanDate(b, &i, end) else { return .malformed }
        // Separator: `T` or one or more spaces; none is needed after `日` or before `上午`/`下午`.
        guard i < end else { return .malformed }
        if b[i] == UInt8(ascii: "T") {
            i += 1
        } else if b[i] >= 0x80 || b[i - 1] >= 0x80 {
            while i < end, b[i] == 32 { i += 1 }
        } else {
            guard b[i] == 32 else { return .malformed }
            while i < end, b[i] == 32 { i += 1 }
        }
        guard let clock = scanClock(b, &i, end) else { return .malformed }
        if i < end {
            let c = b[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { return .zoned }
            return .malformed
        }
        guard let seconds = clock else { return .noSuchTime }
        return make(year: y, month: mo, day: d, hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
    }

    /// Scans `yyyy?M?d` or `d?M?yyyy` (`?` one of `-`, `/`, `.`) at `i`, advancing past it.
    private static func scanDate(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> (Int, Int, Int)? {
        guard let (first, firstLength) = number(b, &i, end, maxLength: 4), i < end else { return nil }
        if firstLength == 4, has(b, i, end, nian) {  // 2026年10月9日
            i += 3
            guard let (month, _) = number(b, &i, end, maxLength: 2), has(b, i, end, yue) else { return nil }
            i += 3
            guard let (day, _) = number(b, &i, end, maxLength: 2), has(b, i, end, ri) else { return nil }
            i += 3
            return (first, month, day)
        }
        let sep = b[i]
        guard sep == 45 || sep == 47 || sep == 46 else { return nil }
        i += 1
        guard let (second, secondLength) = number(b, &i, end, maxLength: 2), secondLength >= 1,
              i < end, b[i] == sep else { return nil }
        i += 1
        guard let (third, thirdLength) = number(b, &i, end, maxLength: 4) else { return nil }
        if firstLength == 4, thirdLength <= 2 { return (first, second, third) }
        if firstLength <= 2, thirdLength == 4 { return (third, second, first) }
        return nil
    }

    /// Scans `H:mm[:ss][.fff][ AM|PM]` at `i`. Nil when not in that form; `.some(nil)` when the
    /// form is right but the time does not exist.
    private static func scanClock(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Int??
    {
        // 上午 (morning) or 下午 (afternoon) before the hour, as Chinese exports write a 12-hour clock.
        var half: UInt8? = nil
        if has(b, i, end, shangwu) || has(b, i, end, xiawu) {
            half = b[i + 2]
            i += 6
            while i < end, b[i] == 32 { i += 1 }
        }
        guard let (h, _) = number(b, &i, end, maxLength: 2), i < end, b[i] == 58 else { return nil }
        i += 1
        guard let (m, ml) = number(b, &i, end, maxLength: 2), ml == 2 else { return nil }
        var s = 0
        if i < end, b[i] == 58 {
            i += 1
            guard let (sec, sl) = number(b, &i, end, maxLength: 2), sl == 2 else { return nil }
            s = sec
            if i < end, b[i] == 46 || b[i] == 44 {  // a fraction of a second, dropped
                i += 1
                guard i < end, b[i] &- 48 < 10 else { return nil }
                while i < end, b[i] &- 48 < 10 { i += 1 }
            }
        }
        var hour = h
        var j = i
        while j < end, b[j] == 32 { j += 1 }
        if end - j >= 2, b[j + 1] | 0x20 == UInt8(ascii: "m"), b[j] | 0x20 == UInt8(ascii: "a") || b[j] | 0x20 == UInt8(ascii: "p") {
            guard h >= 1, h <= 12 else { i = j + 2; return .some(nil) }
            hour = h % 12 + (b[j] | 0x20 == UInt8(ascii: "p") ? 12 : 0)
            i = j + 2
        }
        if let half {
            guard h <= 12, hour == h else { return .some(nil) }  // 下午17:30 or 上午8:05 PM: not one time
            hour = h % 12 + (half == xiawu[2] ? 12 : 0)
        }
        guard hour < 24, m < 60, s < 60 else { return .some(nil) }
        return .some(hour * 3600 + m * 60 + s)
    }

    /// UTF-8 of 年, 月, 日, 上午 and 下午.
    private static let nian: [UInt8] = [0xE5, 0xB9, 0xB4]
    private static let yue: [UInt8] = [0xE6, 0x9C, 0x88]
    private static let ri: [UInt8] = [0xE6, 0x97, 0xA5]
    private static let shangwu: [UInt8] = [0xE4, 0xB8, 0x8A, 0xE5, 0x8D, 0x88]
    private static let xiawu: [UInt8] = [0xE4, 0xB8, 0x8B, 0xE5, 0x8D, 0x88]

    /// Whether `b[i...]` starts with `word`.
    @inline(__always)
    private static func has(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, _ word: [UInt8]) -> Bool {
        guard end - i >= word.count else { return false }
        for k in 0..<word.count where b[i + k] != word[k] { return false }
        return true
    }

    /// Scans 1 to `maxLength` digits at `i`: the value and how many digits there were.
    @inline(__always)
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, maxLength: Int) -> (Int, Int)? {
        var v = 0
        var n = 0
        while i < end, n < maxLength {
            let d = b[i] &- 48
            if d >= 10 { break }
            v = v * 10 + Int(d)
            n += 1
            i += 1
        }
        if i < end, b[i] &- 48 < 10 { return nil }  // too many digits
        return n == 0 ? nil : (v, n)
    }

    @inline(__always)
    private static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Result {
        guard let date = CivilDate(year: year, month: month, day: day) else { return .noSuchDate }
        guard hour < 24, minute < 60, second < 60 else { return .noSuchTime }
        guard years.contains(year) else { return .implausibleYear(year) }
        return .time(LocalDateTime(date: date, secondsOfDay: hour * 3600 + minute * 60 + second))
    }

    @inline(__always)
    private static func d2(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let x = b[i] &- 48
        let y = b[i + 1] &- 48
        return x < 10 && y < 10 ? Int(x) * 10 + Int(y) : nil
    }

    @inline(__always)
    private static func d4(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard let hi = d2(b, i), let lo = d2(b, i + 2) else { return nil }
        return hi * 100 + lo
    }
}
