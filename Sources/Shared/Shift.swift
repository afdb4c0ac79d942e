/// The thresholds of the rules, in minutes unless named otherwise. `[rules]` sets the defaults,
/// a `[[shift]]` may override any of them.
public struct RuleSettings: Hashable, Sendable, Codable {
    public var graceLate: Int = 5
    public var graceEarly: Int = 5
    public var checkInEarly: Int = 60
    public var checkOutLate: Int = 120
    public var debounceSeconds: Int = 60
    /// Away time tolerated before `off_post` (the default is 15 on duty shifts, 30 on work shifts).
    public var awayLimit: Int = 30
    public var seriousMinutes: Int = 30
    public var absentMinutes: Int = 60

    public init() {}

    /// The largest value a rule key takes: a day, 1,440 minutes (86,400 for `debounce_seconds`).
    /// The config reader refuses anything larger; the engine computes only with `minutes(_:)` and
    /// `seconds(_:)`, which bring a value within 0…maximum, so no value set here can overflow it.
    public static func maximum(forKey key: String) -> Int { key == "debounce_seconds" ? 86_400 : 1_440 }

    /// A minutes setting (`graceLate`, `checkOutLate`, …) within 0…1,440.
    public func minutes(_ setting: KeyPath<RuleSettings, Int>) -> Int { Swift.min(Swift.max(self[keyPath: setting], 0), 1_440) }

    /// A minutes setting in seconds, within 0…86,400.
    public func seconds(_ setting: KeyPath<RuleSettings, Int>) -> Int64 { Int64(minutes(setting)) * 60 }

    /// `debounceSeconds` within 0…86,400.
    public var boundedDebounceSeconds: Int { Swift.min(Swift.max(debounceSeconds, 0), 86_400) }
}

/// Whether a shift is ordinary work or a duty (值班) shift.
public enum ShiftKind: String, Sendable, Codable {
    case work
    case duty
}

/// A break inside a shift, as minutes after the shift date's midnight (an end past 24:00 is the next day).
public struct BreakWindow: Hashable, Sendable, Codable {
    public var start: ClockTime
    public var end: ClockTime
    public init(start: ClockTime, end: ClockTime) {
        self.start = start
        self.end = end
    }
}

/// A shift definition from `[[shift]]`.
public struct Shift: Hashable, Sendable, Codable {
    public var code: String
    /// The name people read (`name = "夜间值班"`), shown instead of the code in every output.
    public var name: String?
    public var kind: ShiftKind
    public var start: ClockTime
    /// The end; when not after `start` the shift ends the next day.
    public var end: ClockTime
    public var breaks: [BreakWindow]
    /// Posts (reader `post` names) where a duty officer must stay.
    public var posts: [String]
    /// The rules with this shift's overrides applied.
    public var rules: RuleSettings

    public init(code: String, kind: ShiftKind = .work, start: ClockTime, end: ClockTime,
                breaks: [BreakWindow] = [], posts: [String] = [], rules: RuleSettings = RuleSettings()) {
        self.code = code
        self.kind = kind
        self.start = start
        self.end = end
        self.breaks = breaks
        self.posts = posts
        self.rules = rules
    }

    /// What a person reads for this shift: its name, else its code.
    public var label: String { name ?? code }

    /// Whether the shift runs past midnight.
    public var crossesMidnight: Bool { end <= start }

    /// The length of the shift in minutes, breaks included.
    public var lengthMinutes: Int { crossesMidnight ? end.minutes + 1440 - start.minutes : end.minutes - start.minutes }
}

/// What a reader is, from `[[reader]]`.
public struct ReaderConfig: Hashable, Sendable, Codable {
    public enum Direction: String, Sendable, Codable {
        case entrance = "in"
        case exit = "out"
        /// Trust the punch state (0/4 in, 1/5 out, 2 out, 3 in).
        case state
        case unknown
    }
    public var id: String
    public var post: String?
    public var direction: Direction
    public init(id: String, post: String? = nil, direction: Direction = .unknown) {
        self.id = id
        self.post = post
        self.direction = direction
    }
}

/// Who works which shift by default, from `[[schedule]]`.
public struct Schedule: Hashable, Sendable, Codable {
    public enum Days: Hashable, Sendable, Codable {
        /// The workweek, corrected by the holiday calendar.
        case workdays
        case all
        case weekdays(Set<Weekday>)
    }
    /// Unit path prefixes this schedule applies to.
    public var units: [UnitPath]
    /// Person ids this schedule applies to.
    public var persons: [String]
    public var shift: String
    public var days: Days

    public init(units: [UnitPath] = [], persons: [String] = [], shift: String, days: Days = .workdays) {
        self.units = units
        self.persons = persons
        self.shift = shift
        self.days = days
    }
}

/// An explicit roster assignment (`date,person,shift`).
public struct RosterEntry: Hashable, Sendable {
    public var date: CivilDate
    public var person: String
    public var shift: String
    public var source: SourceRef
    public init(date: CivilDate, person: String, shift: String, source: SourceRef) {
        self.date = date
        self.person = person
        self.shift = shift
        self.source = source
    }
}

/// Approved absence (`person,start,end,kind[,note]`).
public struct Leave: Hashable, Sendable {
    public var person: String
    /// Inclusive start. A whole-date leave starts at midnight of its first date.
    public var start: LocalDateTime
    /// Exclusive end. A whole-date leave ends at midnight after its last date.
    public var end: LocalDateTime
    /// Whether the leave was given as whole dates (it then covers every shift starting on them).
    public var wholeDays: Bool
    public var kind: String
    public var note: String?
    public var source: SourceRef
    public init(person: String, start: LocalDateTime, end: LocalDateTime, wholeDays: Bool, kind: String,
                note: String? = nil, source: SourceRef) {
        self.person = person
        self.start = start
        self.end = end
        self.wholeDays = wholeDays
        self.kind = kind
        self.note = note
        self.source = source
    }
}

/// Official holidays and make-up working days (holiday-cn).
public struct HolidayCalendar: Sendable, Hashable {
    /// Dates off by notice, with the holiday's name.
    public var offDays: [CivilDate: String] = [:]
    /// Make-up working days (调休), with the holiday's name.
    public var workDays: [CivilDate: String] = [:]
    public init(offDays: [CivilDate: String] = [:], workDays: [CivilDate: String] = [:]) {
        self.offDays = offDays
        self.workDays = workDays
    }

    /// Whether `date` is a working day for a workweek of `workweek`.
    public func isWorkday(_ date: CivilDate, workweek: Set<Weekday>) -> Bool {
        if workDays[date] != nil { return true }
        if offDays[date] != nil { return false }
        return workweek.contains(date.weekday)
    }
}
