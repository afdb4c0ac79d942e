/// Everything the rule engine judges from: the site's configuration and the data read from its files.
///
/// Values only; reading files and the clock happen outside.
public struct AttendanceInput: Sendable {
    /// The site id (the agent's id at the collector); part of every anomaly's stable id.
    public var siteID: String
    public var people: [Person]
    /// Shift definitions by code, rules already merged with `[rules]`.
    public var shifts: [String: Shift]
    public var schedules: [Schedule]
    public var workweek: Set<Weekday>
    public var calendar: HolidayCalendar
    public var readers: [ReaderConfig]
    public var roster: [RosterEntry]
    public var leaves: [Leave]
    /// Punches from every badge file, in any order, held compactly (`PunchTable`).
    public var punches: PunchTable
    /// The file table that `SourceRef.file` indexes: paths as the user named them (relative to the config).
    public var files: [String]
    /// Moves of people between units (the transfers file), in any order.
    public var transfers: [Transfer] = []
    /// The site's IANA time zone (`site.timezone`): minutes are real elapsed minutes under its rules.
    public var timeZone: String = "Asia/Shanghai"
    /// Times during which a reader that pushes in real time did not call (ADMS devices gone offline).
    public var outages: [ReaderOutage] = []

    /// The input of punches as values: they are stored as a `PunchTable`.
    public init(siteID: String, people: [Person], shifts: [String: Shift], schedules: [Schedule],
                workweek: Set<Weekday>, calendar: HolidayCalendar, readers: [ReaderConfig], roster: [RosterEntry],
                leaves: [Leave], punches: [Punch], files: [String]) {
        self.init(siteID: siteID, people: people, shifts: shifts, schedules: schedules, workweek: workweek,
                  calendar: calendar, readers: readers, roster: roster, leaves: leaves,
                  punches: PunchTable(punches), files: files)
    }

    public init(siteID: String, people: [Person], shifts: [String: Shift], schedules: [Schedule],
                workweek: Set<Weekday>, calendar: HolidayCalendar, readers: [ReaderConfig], roster: [RosterEntry],
                leaves: [Leave], punches: PunchTable, files: [String]) {
        self.siteID = siteID
        self.people = people
        self.shifts = shifts
        self.schedules = schedules
        self.workweek = workweek
        self.calendar = calendar
        self.readers = readers
        self.roster = roster
        self.leaves = leaves
        self.punches = punches
        self.files = files
    }
}

/// Which business dates to judge, and how far the data is known to be complete.
public struct EvaluationRequest: Sendable, Hashable {
    /// First and last business date to judge, inclusive.
    public var from: CivilDate
    public var to: CivilDate
    /// The data is complete for every instance whose business date is this or earlier (`check --to`);
    /// nil leaves completeness to the reader watermarks alone.
    public var completeThrough: CivilDate?
    /// The site's local time now; punches after it are `clock_skew`. Nil skips that check.
    public var now: LocalDateTime?

    public init(from: CivilDate, to: CivilDate, completeThrough: CivilDate? = nil, now: LocalDateTime? = nil) {
        self.from = from
        self.to = to
        self.completeThrough = completeThrough
        self.now = now
    }
}

/// What became of one shift instance (person, date, shift).
public struct InstanceOutcome: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// Judged and the person was there (at least one punch in the window).
        case present
        /// Judged and no punch: charged as `absent`.
        case absent
        /// Covered by a whole-day leave: not charged.
        case excused
        /// The data does not cover the instance yet.
        case pending
        /// The site's readers were silent that date: not judged.
        case unverified
    }
    public var person: String
    public var unit: UnitPath
    public var date: CivilDate
    public var shift: String
    public var duty: Bool
    public var status: Status

    public init(person: String, unit: UnitPath, date: CivilDate, shift: String, duty: Bool, status: Status) {
        self.person = person
        self.unit = unit
        self.date = date
        self.shift = shift
        self.duty = duty
        self.status = status
    }
}

/// The result of a rule run.
public struct Evaluation: Sendable {
    /// Every anomaly found, excused ones included, ordered by unit, person, date, shift, kind.
    public var anomalies: [Anomaly]
    /// Data-quality items of the run (the engine's own: `unknown_badge`, `reader_silent`, `clock_skew`).
    public var quality: [QualityItem]
    /// Every scheduled instance in the requested dates and what became of it, held compactly
    /// (`InstanceOutcomes` reads as a collection of `InstanceOutcome`).
    public var instances: InstanceOutcomes

    public init(anomalies: [Anomaly], quality: [QualityItem], instances: InstanceOutcomes) {
        self.anomalies = anomalies
        self.quality = quality
        self.instances = instances
    }

    public init(anomalies: [Anomaly], quality: [QualityItem], instances: some Sequence<InstanceOutcome>) {
        self.init(anomalies: anomalies, quality: quality, instances: InstanceOutcomes(instances))
    }
}
