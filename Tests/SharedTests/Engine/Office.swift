@testable import Shared

/// `yyyy-MM-dd` as a date; traps on a typo so a test cannot silently build the wrong input.
func day(_ text: String) -> CivilDate { CivilDate(text)! }

/// `yyyy-MM-dd HH:mm[:ss]` as a local time.
func at(_ text: String) -> LocalDateTime { LocalDateTime(text)! }

/// A small office built by hand: the `AttendanceInput` the TOML and ingest layers would produce.
struct Office {
    var siteID = "test-site"
    var people: [Person] = []
    var shifts: [String: Shift] = Office.standardShifts()
    var schedules: [Schedule] = []
    var workweek: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]
    var calendar = HolidayCalendar()
    var readers: [ReaderConfig] = []
    var roster: [RosterEntry] = []
    var leaves: [Leave] = []
    var punches: [Punch] = []
    var files: [String] = []
    var transfers: [Transfer] = []
    var timeZone = "Asia/Shanghai"
    var outages: [ReaderOutage] = []
    private var lines: [Int: Int32] = [:]

    /// The shifts every scenario defines: day, late and night-duty with the default rules.
    static func standardShifts(posts: [String] = []) -> [String: Shift] {
        var duty = RuleSettings()
        duty.awayLimit = 15
        return [
            "day": Shift(code: "day", start: ClockTime("09:00")!, end: ClockTime("17:30")!,
                         breaks: [BreakWindow(start: ClockTime("12:00")!, end: ClockTime("13:30")!)]),
            "late": Shift(code: "late", start: ClockTime("12:00")!, end: ClockTime("20:00")!),
            "night-duty": Shift(code: "night-duty", kind: .duty, start: ClockTime("20:00")!, end: ClockTime("08:00")!,
                                posts: posts, rules: duty),
        ]
    }

    /// The five people of the shared scenarios.
    static func scenarioPeople() -> [Person] {
        [
            Person(id: "1001", name: "张伟", unit: UnitPath("市场监管局/办公室")),
            Person(id: "1002", name: "王芳", unit: UnitPath("市场监管局/办公室")),
            Person(id: "1003", name: "李娜", unit: UnitPath("市场监管局/食品科")),
            Person(id: "1004", name: "刘洋", unit: UnitPath("市场监管局/食品科")),
            Person(id: "2001", name: "陈静", unit: UnitPath("市场监管局/执法大队")),
        ]
    }

    /// The scenarios' office: their people, the day shift on workdays for the whole bureau.
    static func scenario(_ site: String, schedule: Bool = true) -> Office {
        var o = Office()
        o.siteID = site
        o.people = scenarioPeople()
        if schedule { o.schedules = [Schedule(units: [UnitPath("市场监管局")], shift: "day", days: .workdays)] }
        return o
    }

    /// Adds a punch read from `file` (created on first use), on the next line of that file.
    mutating func punch(_ badge: String, _ time: String, reader: String = "1", state: Int16? = 255,
                        file: String = "badges/1_attlog.dat", line: Int? = nil) {
        let f: Int
        if let i = files.firstIndex(of: file) { f = i } else { files.append(file); f = files.count - 1 }
        let n = line.map(Int32.init) ?? (lines[f, default: 0] + 1)
        lines[f] = n
        punches.append(Punch(badge: badge, time: at(time), reader: reader, state: state,
                             source: SourceRef(file: Int32(f), line: n)))
    }

    mutating func rosterDuty(_ date: String, _ person: String, _ shift: String = "night-duty") {
        roster.append(RosterEntry(date: day(date), person: person, shift: shift,
                                  source: SourceRef(file: 0, line: Int32(roster.count + 2))))
    }

    /// A whole-date leave over `first...last`.
    mutating func leave(_ person: String, days first: String, _ last: String, kind: String) {
        leaves.append(Leave(person: person, start: day(first).midnight, end: day(last).adding(days: 1).midnight,
                            wholeDays: true, kind: kind, source: SourceRef(file: 0, line: Int32(leaves.count + 2))))
    }

    /// A timed leave `[start, end)`.
    mutating func leave(_ person: String, from start: String, to end: String, kind: String) {
        leaves.append(Leave(person: person, start: at(start), end: at(end), wholeDays: false, kind: kind,
                            source: SourceRef(file: 0, line: Int32(leaves.count + 2))))
    }

    var input: AttendanceInput {
        var input = AttendanceInput(siteID: siteID, people: people, shifts: shifts, schedules: schedules,
                                    workweek: workweek, calendar: calendar, readers: readers, roster: roster,
                                    leaves: leaves, punches: punches, files: files)
        input.transfers = transfers
        input.timeZone = timeZone
        input.outages = outages
        return input
    }

    /// Runs the engine like `check --from from --to to`: the data is complete through `to`.
    func check(_ from: String, _ to: String? = nil, complete: Bool = true, now: String? = nil) -> Evaluation {
        let last = day(to ?? from)
        return AttendanceEngine.evaluate(input, EvaluationRequest(from: day(from), to: last,
                                                                  completeThrough: complete ? last : nil,
                                                                  now: now.map(at)))
    }
}

extension Evaluation {
    /// Charged anomalies (neither excused nor suspected) as `person date kind minutes` lines, sorted.
    var charged: [String] {
        anomalies.filter { !$0.excused && !$0.suspected }.map { "\($0.person) \($0.date) \($0.kind.rawValue) \($0.minutes)" }.sorted()
    }

    /// Suspected anomalies as `person date kind minutes` lines, sorted.
    var suspectedLines: [String] {
        anomalies.filter(\.suspected).map { "\($0.person) \($0.date) \($0.kind.rawValue) \($0.minutes)" }.sorted()
    }

    /// Excused anomalies as `person date kind minutes reason` lines, sorted.
    var excusedLines: [String] {
        anomalies.filter(\.excused).map { "\($0.person) \($0.date) \($0.kind.rawValue) \($0.minutes) \($0.reason ?? "-")" }
            .sorted()
    }

    /// The anomalies of `person` and `kind`.
    func anomalies(_ person: String, _ kind: AnomalyKind) -> [Anomaly] {
        anomalies.filter { $0.person == person && $0.kind == kind }
    }

    /// The status of `person`'s instance of `shift` on `date`.
    func status(_ person: String, _ date: String, _ shift: String = "day") -> InstanceOutcome.Status? {
        instances.first { $0.person == person && $0.date == day(date) && $0.shift == shift }?.status
    }
}
