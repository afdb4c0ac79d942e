/// Works out which shift instances each person has, from `[[schedule]]` and the roster.
///
/// - A person's schedules are those of the most specific tier that names them: schedules listing
///   the person in `persons` beat unit schedules; among unit schedules the longest matching unit
///   prefix wins. Every schedule of the winning tier applies (so one tier can combine, say, a day
///   shift on workdays with a Saturday shift).
/// - `days = workdays` follows the workweek corrected by the holiday calendar; `all` is every day;
///   a list of weekdays ignores the holiday calendar.
/// - The roster applies on any date, holidays included. A roster work shift replaces the scheduled
///   work shifts of that date (a swap; several roster work shifts the same date all apply);
///   a roster duty shift comes on top. The code `off` (when no shift is called that) removes the
///   date's scheduled work shifts. Unknown codes are skipped: validation reports them.
struct ShiftPlanner {
    /// Every defined shift, its times worked out once, in code order: instances and a date's
    /// shifts name them by index, so that no template reference is counted per person and date.
    let templates: ShiftTemplates
    let firstDate: CivilDate
    let lastDate: CivilDate
    /// `workday[i]` for `firstDate + i`.
    private let workday: [Bool]
    private let schedules: [Schedule]
    /// Roster entries by person id, then by day number.
    private let roster: [String: [Int: [RosterEntry]]]

    /// Plans the dates `firstDate...lastDate` (the judged dates plus a day each side for context).
    init(input: AttendanceInput, firstDate: CivilDate, lastDate: CivilDate) {
        templates = ShiftTemplates(input.shifts)
        self.firstDate = firstDate
        self.lastDate = max(firstDate, lastDate)
        schedules = input.schedules
        var flags: [Bool] = []
        var d = firstDate
        while d <= self.lastDate {
            flags.append(input.calendar.isWorkday(d, workweek: input.workweek))
            d = d.adding(days: 1)
        }
        workday = flags
        var byPerson: [String: [Int: [RosterEntry]]] = [:]
        for entry in input.roster where entry.date >= firstDate && entry.date <= self.lastDate {
            byPerson[entry.person, default: [:]][entry.date.dayNumber, default: []].append(entry)
        }
        roster = byPerson
    }

    /// The schedules that apply to `person` (see the type's comment for the tiers).
    func schedules(for person: Person) -> [Schedule] { schedules(for: person, in: person.unit) }

    /// The schedules that apply to `person` while they belong to `unit`.
    func schedules(for person: Person, in unit: UnitPath) -> [Schedule] {
        let named = schedules.filter { $0.persons.contains(person.id) }
        if !named.isEmpty { return named }
        var best = -1
        var chosen: [Schedule] = []
        for s in schedules {
            var length = -1
            for u in s.units where unit.isWithin(u) { length = max(length, u.components.count) }
            if length < 0 { continue }
            if length > best {
                best = length
                chosen = [s]
            } else if length == best {
                chosen.append(s)
            }
        }
        return chosen
    }

    /// Every instance of `person` on the planned dates, sorted by start; `inRange` marks `from...to`.
    ///
    /// No instance before the person's `joined` date or after their `left` date. `moves` are the
    /// person's transfers sorted by date: from each one's date on, the schedules are those of its
    /// unit, and the instances carry the unit of their business date.
    func instances(for person: Person, index: Int, from: CivilDate, to: CivilDate,
                   moves: [Transfer] = [], within: ClosedRange<Int>? = nil) -> [ShiftInstance] {
        // The units the person belongs to, each from a date on, with their schedules.
        var periods: [(from: CivilDate?, mine: [(days: Schedule.Days, template: Int32)])] = []
        func scheduled(_ unit: UnitPath) -> [(days: Schedule.Days, template: Int32)] {
            schedules(for: person, in: unit).compactMap { s in templates.index[s.shift].map { (s.days, $0) } }
        }
        periods.append((nil, scheduled(person.unit)))
        for m in moves { periods.append((m.date, scheduled(m.unit))) }
        let rosterDays = roster[person.id]
        if rosterDays == nil && periods.allSatisfy({ $0.mine.isEmpty }) { return [] }
        var result: [ShiftInstance] = []
        var day = firstDate
        var offset = 0
        var last = lastDate
        if let within {
            // Only the day numbers `within` (a caller that needs a stretch of a long range).
            offset = max(0, within.lowerBound - firstDate.dayNumber)
            day = firstDate.adding(days: offset)
            last = min(lastDate, CivilDate(dayNumber: within.upperBound))
        }
        var period = 0
        var planned: [Int32] = []  // indices into `templates`
        while day <= last {
            defer {
                day = day.adding(days: 1)
                offset += 1
            }
            while period + 1 < periods.count, let next = periods[period + 1].from, next <= day { period += 1 }
            guard person.employed(on: day) else { continue }
            planned.removeAll(keepingCapacity: true)
            for m in periods[period].mine.indices where applies(periods[period].mine[m].days, offset: offset, day: day) {
                let t = periods[period].mine[m].template
                if !planned.contains(t) { planned.append(t) }
            }
            if let entries = rosterDays?[day.dayNumber] { applyRoster(entries, to: &planned) }
            let inRange = day >= from && day <= to
            for t in planned {
                result.append(ShiftInstance(person: index, date: day, template: t, of: templates, inRange: inRange,
                                            period: Int32(period)))
            }
        }
        // Templates are in code order, so their indices compare as their codes do.
        result.sort { $0.start != $1.start ? $0.start < $1.start : $0.template < $1.template }
        return result
    }

    /// Those of `days` (day numbers, sorted) on which `person` has an instance, worked out without
    /// building any: a roster entry or a schedule that applies that date (while employed).
    func instanceDays(for person: Person, moves: [Transfer], among days: [Int]) -> [Int] {
        let rosterDays = roster[person.id]
        // The schedule days of each unit period, worked out once (no unit hashed per date).
        func kinds(_ unit: UnitPath) -> [Schedule.Days] {
            schedules(for: person, in: unit).filter { templates.index[$0.shift] != nil }.map(\.days)
        }
        var periods: [(from: Int, kinds: [Schedule.Days])] = [(Int.min, kinds(person.unit))]
        for m in moves { periods.append((m.date.dayNumber, kinds(m.unit))) }
        if rosterDays == nil && periods.allSatisfy({ $0.kinds.isEmpty }) { return [] }
        let joined = person.joined?.dayNumber ?? Int.min
        let left = person.left?.dayNumber ?? Int.max
        let base = firstDate.dayNumber
        var found: [Int] = []
        var period = 0
        for n in days where n >= base && n <= lastDate.dayNumber && n >= joined && n <= left {
            while period + 1 < periods.count, periods[period + 1].from <= n { period += 1 }
            if rosterDays?[n] != nil {
                found.append(n)
            } else if !periods[period].kinds.isEmpty {
                let day = CivilDate(dayNumber: n)
                if periods[period].kinds.contains(where: { applies($0, offset: n - base, day: day) }) { found.append(n) }
            }
        }
        return found
    }

    private func applies(_ days: Schedule.Days, offset: Int, day: CivilDate) -> Bool {
        switch days {
        case .workdays: workday[offset]
        case .all: true
        case .weekdays(let set): set.contains(day.weekday)
        }
    }

    /// Applies one date's roster entries to the scheduled shifts of that date.
    /// `planned` holds indices into `templates`.
    private func applyRoster(_ entries: [RosterEntry], to planned: inout [Int32]) {
        var work: [Int32] = []
        var duty: [Int32] = []
        var off = false
        for e in entries {
            if let t = templates.index[e.shift] {
                if templates.all[Int(t)].shift.kind == .work {
                    if !work.contains(t) { work.append(t) }
                } else if !duty.contains(t) {
                    duty.append(t)
                }
            } else if e.shift.lowercased() == "off" {
                off = true
            }
        }
        if !work.isEmpty || off {
            planned.removeAll { templates.all[Int($0)].shift.kind == .work }
            planned.append(contentsOf: work)
        }
        for d in duty where !planned.contains(d) { planned.append(d) }
    }
}
