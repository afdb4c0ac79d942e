import Foundation
import Shared

/// A calendar month as the bulletin names it (`2026-11`): its first and last business dates and
/// the month before it.
struct ReportMonth: Hashable, Sendable, Codable, CustomStringConvertible {
    var year: Int
    var month: Int

    /// The month of `year`-`month`; nil when `month` is not 1...12.
    init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`; nil for anything else.
    init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 7, b[4] == UInt8(ascii: "-") else { return nil }
        var y = 0, m = 0
        for i in 0..<4 {
            let c = b[i] &- 48
            guard c < 10 else { return nil }
            y = y * 10 + Int(c)
        }
        for i in 5..<7 {
            let c = b[i] &- 48
            guard c < 10 else { return nil }
            m = m * 10 + Int(c)
        }
        self.init(year: y, month: m)
    }

    /// The month containing `date`.
    init(containing date: CivilDate) {
        let c = date.components
        self.year = c.year
        self.month = c.month
    }

    /// `YYYY-MM`.
    var description: String {
        String(year) + "-" + (month < 10 ? "0" : "") + String(month)
    }

    var first: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    var last: CivilDate { CivilDate(year: year, month: month, day: dayCount)! }
    var dayCount: Int { CivilDate.daysIn(month: month, year: year) }

    /// The month before this one.
    var previous: ReportMonth {
        month == 1 ? ReportMonth(year: year - 1, month: 12)! : ReportMonth(year: year, month: month - 1)!
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let m = ReportMonth(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a month YYYY-MM: \(s)")
        }
        self = m
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
