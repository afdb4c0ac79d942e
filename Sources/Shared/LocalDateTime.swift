import Foundation

/// A wall-clock time of the site's time zone, as seconds since 1970-01-01 00:00 local time.
///
/// Badge files, rosters and leaves all speak local wall-clock time; the rules compare those
/// times with one another, so no time-zone conversion happens anywhere in the engine.
public struct LocalDateTime: Hashable, Comparable, Sendable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// `date` at `secondsOfDay` after midnight (may exceed one day).
    public init(date: CivilDate, secondsOfDay: Int) {
        self.seconds = Int64(date.dayNumber) * 86_400 + Int64(secondsOfDay)
    }

    /// Parses `yyyy-MM-dd HH:mm[:ss]` (or with `T`); nil when malformed or impossible.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 16 || b.count == 19, let d = CivilDate(String(decoding: b[0..<10], as: UTF8.self)),
              b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
              let h = Digits.value(b, 11, 2), let m = Digits.value(b, 14, 2), h < 24, m < 60
        else { return nil }
        var s = 0
        if b.count == 19 {
            guard b[16] == UInt8(ascii: ":"), let sec = Digits.value(b, 17, 2), sec < 60 else { return nil }
            s = sec
        }
        self.init(date: d, secondsOfDay: h * 3600 + m * 60 + s)
    }

    /// The calendar date this time falls on.
    public var date: CivilDate {
        CivilDate(dayNumber: Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400))
    }

    /// Seconds since local midnight of `date`.
    public var secondsOfDay: Int { Int(seconds - Int64(date.dayNumber) * 86_400) }

    public func adding(seconds s: Int64) -> LocalDateTime { LocalDateTime(seconds: seconds + s) }
    public func adding(minutes m: Int) -> LocalDateTime { LocalDateTime(seconds: seconds + Int64(m) * 60) }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.seconds < b.seconds }
}

extension LocalDateTime: CustomStringConvertible {
    /// `yyyy-MM-dd HH:mm:ss`.
    public var description: String {
        let s = secondsOfDay
        if let text = Digits.text(date, secondsOfDay: s) { return text }
        return "\(date) " + Digits.pad(s / 3600, 2) + ":" + Digits.pad(s / 60 % 60, 2) + ":" + Digits.pad(s % 60, 2)
    }

    /// `HH:mm:ss` only.
    public var timeOfDay: String {
        let s = secondsOfDay
        return Digits.pad(s / 3600, 2) + ":" + Digits.pad(s / 60 % 60, 2) + ":" + Digits.pad(s % 60, 2)
    }
}

extension LocalDateTime: Codable {
    /// Encodes as `yyyy-MM-ddTHH:mm:ss` (local wall-clock time, no offset).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = LocalDateTime(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a local time yyyy-MM-ddTHH:mm:ss: \(s)")
        }
        self = t
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(jsonText)
    }

    /// `yyyy-MM-ddTHH:mm:ss`: the one way a local time is written in JSON (this encoding, and the
    /// collector's byte writer of the summaries' canonical JSON, whose digest covers these bytes).
    public var jsonText: String {
        let s = secondsOfDay
        if let text = Digits.text(date, separator: UInt8(ascii: "T"), secondsOfDay: s) { return text }
        return "\(date)T" + Digits.pad(s / 3600, 2) + ":" + Digits.pad(s / 60 % 60, 2) + ":" + Digits.pad(s % 60, 2)
    }
}

/// A time of day in minutes after midnight, as written in shifts (`"09:00"`).
public struct ClockTime: Hashable, Comparable, Sendable, Codable {
    public var minutes: Int
    public init(minutes: Int) { self.minutes = minutes }

    /// Parses `HH:mm` (00:00 to 23:59; `24:00` is accepted as the end of a day).
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 5 || b.count == 4 else { return nil }
        let colon = b.count - 3
        guard b[colon] == UInt8(ascii: ":"), let h = Digits.value(b, 0, colon), let m = Digits.value(b, colon + 1, 2),
              m < 60, h < 24 || (h == 24 && m == 0)
        else { return nil }
        self.minutes = h * 60 + m
    }

    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
}

extension ClockTime: CustomStringConvertible {
    public var description: String { Digits.pad(minutes / 60, 2) + ":" + Digits.pad(minutes % 60, 2) }
}
