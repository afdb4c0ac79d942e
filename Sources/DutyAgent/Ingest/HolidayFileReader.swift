import Foundation
import Shared

/// Reads holiday-cn files for the agent: the format itself is `Shared.HolidayCN` (the collector
/// reads the same files for its review time limit); here a problem becomes an `InputError` naming
/// the file.
enum HolidayFileReader {
    /// Reads one holiday-cn file; a file that cannot be read or is not holiday-cn JSON is an
    /// `InputError` naming the file and the JSON path of the problem.
    static func read(contentsOf url: URL, displayName: String) throws -> HolidayCalendar {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(file: displayName, message: "cannot read the holiday file (\(BadgeFileReader.reason(error)))")
        }
        return try read(data: data, displayName: displayName)
    }

    /// Reads holiday-cn JSON from `data`, as `read(contentsOf:)` does.
    static func read(data: Data, displayName: String) throws -> HolidayCalendar {
        do throws(HolidayCN.Problem) {
            return try HolidayCN.parse(data)
        } catch {
            throw InputError(file: displayName, field: error.field, message: error.message)
        }
    }

    /// Several calendars as one; where two give the same date, the later one in `calendars` wins.
    static func merge(_ calendars: [HolidayCalendar]) -> HolidayCalendar {
        HolidayCN.merge(calendars)
    }
}
