import Foundation

/// A calendar date without a time zone (a business date), stored as days since 1970-01-01.
///
/// Encodes as `"yyyy-MM-dd"`. Conversions use the proleptic Gregorian calendar by arithmetic,
/// never `Calendar` or `DateFormatter`, so they are cheap enough for hot paths.
public struct CivilDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01.
    public var dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The date of `year`-`month`-`day`, or nil when it does not exist (2047-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.dayNumber = era * 146097 + doe - 719468
    }

    /// Parses `yyyy-MM-dd`; nil for anything else or a date that does not exist.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = Digits.value(b, 0, 4), let m = Digits.value(b, 5, 2), let d = Digits.value(b, 8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { components.year }
    public var month: Int { components.month }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let r = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[r]
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Local midnight at the start of this date.
    public var midnight: LocalDateTime { LocalDateTime(seconds: Int64(dayNumber) * 86_400) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension CivilDate: CustomStringConvertible {
    /// `yyyy-MM-dd`.
    public var description: String {
        if let text = Digits.text(self) { return text }
        let (y, m, d) = components
        return Digits.pad(y, 4) + "-" + Digits.pad(m, 2) + "-" + Digits.pad(d, 2)
    }
}

extension CivilDate: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CivilDate(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date yyyy-MM-dd: \(s)")
        }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Days of the week, Monday first.
public enum Weekday: String, CaseIterable, Codable, Sendable {
    case mon, tue, wed, thu, fri, sat, sun
}

/// Small helpers for fixed-width ASCII digits.
enum Digits {
    /// The value of `count` ASCII digits at `offset`, or nil if any is not a digit.
    static func value(_ b: [UInt8], _ offset: Int, _ count: Int) -> Int? {
        var v = 0
        for i in offset..<(offset + count) {
            let c = b[i] &- 48
            guard c < 10 else { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }

    /// `yyyy-MM-dd`, then `separator` and `HH:mm:ss` when `secondsOfDay` (0..<86400) is given,
    /// written into one string at once (digests print a few of these per anomaly); nil for a
    /// year outside 0...9999, which the callers pad as before.
    static func text(_ date: CivilDate, separator: UInt8 = UInt8(ascii: " "), secondsOfDay: Int? = nil) -> String? {
        let (y, m, d) = date.components
        guard (0...9999).contains(y) else { return nil }
        let count = secondsOfDay == nil ? 10 : 19
        return String(unsafeUninitializedCapacity: count) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 0)
            out[4] = UInt8(ascii: "-")
            put(m, 2, at: 5)
            out[7] = UInt8(ascii: "-")
            put(d, 2, at: 8)
            if let s = secondsOfDay {
                out[10] = separator
                put(s / 3600, 2, at: 11)
                out[13] = UInt8(ascii: ":")
                put(s / 60 % 60, 2, at: 14)
                out[16] = UInt8(ascii: ":")
                put(s % 60, 2, at: 17)
            }
            return count
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
