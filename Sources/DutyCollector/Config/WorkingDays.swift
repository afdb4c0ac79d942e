import Foundation
import Shared

/// Working days for the review time limit (限时办结): Monday to Friday, corrected by the holiday
/// calendar of `[review] holidays` when the config names one (official days off do not count,
/// make-up working days 调休 do); without it a public holiday counts as a working day.
enum WorkingDays {
    static let workweek: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]

    /// The latest business date whose open anomalies are overdue on `today`: those dated on or
    /// before it have waited more than `reviewDays` working days.
    static func overdueThrough(today: CivilDate, reviewDays: Int, holidays: HolidayCalendar? = nil) -> CivilDate {
        var date = today
        var counted = 0
        while counted < reviewDays {
            date = date.adding(days: -1)
            if holidays?.isWorkday(date, workweek: workweek) ?? workweek.contains(date.weekday) { counted += 1 }
        }
        return date.adding(days: -1)
    }
}
