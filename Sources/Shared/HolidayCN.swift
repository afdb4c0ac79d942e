import Foundation

/// The holiday-cn format (`{"year":…,"days":[{"name","date","isOffDay"}]}`, one file per notice
/// year), read the same way by the agent (its shift calendar) and the collector (the working days
/// of `[review] review_days`).
///
/// `isOffDay: true` is an official day off, `false` a make-up working day (调休). A file is keyed
/// by the year of its notice and may hold dates of the next or previous year; load every year
/// touched and `merge` them.
public enum HolidayCN {
    /// What is wrong with a file: the JSON path of the problem (`days[3].date`) when known, and a sentence.
    public struct Problem: Error, Sendable, Equatable {
        public var field: String?
        public var message: String
    }

    private struct File: Decodable {
        var year: Int?
        var days: [Day]
    }

    private struct Day: Decodable {
        var name: String
        var date: CivilDate
        var isOffDay: Bool
    }

    /// The calendar of one holiday-cn file; a `Problem` when `data` is not holiday-cn JSON.
    public static func parse(_ data: Data) throws(Problem) -> HolidayCalendar {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            throw Problem(field: path.isEmpty ? nil : path, message: message)
        } catch {
            throw Problem(field: nil, message: "not holiday-cn JSON: \(error.localizedDescription)")
        }
        var calendar = HolidayCalendar()
        for day in file.days {
            if day.isOffDay {
                calendar.offDays[day.date] = day.name
                calendar.workDays[day.date] = nil
            } else {
                calendar.workDays[day.date] = day.name
                calendar.offDays[day.date] = nil
            }
        }
        return calendar
    }

    /// Several calendars as one; where two give the same date, the later one in `calendars` wins.
    public static func merge(_ calendars: [HolidayCalendar]) -> HolidayCalendar {
        var merged = HolidayCalendar()
        for calendar in calendars {
            for (date, name) in calendar.offDays {
                merged.offDays[date] = name
                merged.workDays[date] = nil
            }
            for (date, name) in calendar.workDays {
                merged.workDays[date] = name
                merged.offDays[date] = nil
            }
        }
        return merged
    }

    /// The JSON path (`days[3].date`) and a sentence for a decoding error.
    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            var s = ""
            for key in keys {
                if let i = key.intValue { s += "[\(i)]" } else { s += s.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return s
        }
        switch error {
        case .keyNotFound(let key, let context):
            let base = path(context.codingPath)
            return (base.isEmpty ? key.stringValue : base + "." + key.stringValue, "missing in holiday-cn JSON")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "expected \(type) in holiday-cn JSON")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "expected \(type), found null")
        case .dataCorrupted(let context):
            let p = path(context.codingPath)
            return (p, p.isEmpty ? "not valid JSON" : context.debugDescription)
        @unknown default:
            return ("", "not holiday-cn JSON")
        }
    }
}
