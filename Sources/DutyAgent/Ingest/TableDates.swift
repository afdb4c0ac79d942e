import Foundation
import Shared

/// Dates and times in table files, through the byte parsers the badge readers use.
enum TableDates {
    /// A whole date (`2026-11-03`, `2026/11/3`), or nil.
    static func date(_ text: String) -> CivilDate? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { TimestampParser.parseDate($0, 0, $0.count).0 }
    }

    /// A date and time (`2026-11-02 09:00`), or why it is not one.
    static func dateTime(_ text: String) -> TimestampParser.Result {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { TimestampParser.parse($0, 0, $0.count) }
    }
}
