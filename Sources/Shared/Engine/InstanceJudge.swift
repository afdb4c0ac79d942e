/// Applies the anomaly rules to one decided shift instance and its punches.
struct InstanceJudge {
    let siteID: String
    let people: [Person]
    let punches: PunchTable
    let files: [String]
    let readers: [ReaderInfo]
    /// The templates the judged instances were planned with.
    let templates: ShiftTemplates
    /// Real elapsed time under the site's zone.
    var clock: ZoneClock = .fixed
    /// Transfers by person id, in date order: the unit of an anomaly is that of its date.
    var moves: [String: [Transfer]] = [:]

    /// The instance's status and its anomalies (excused ones included).
    func judge(_ instance: ShiftInstance, punches own: ArraySlice<PersonPunch>, cover: LeaveCover) -> (InstanceOutcome.Status, [Anomaly]) {
        let template = templates[instance]
        let rules = template.shift.rules
        var breaks: [Span] { templates.breaks(of: instance) }
        if cover.whole {
            // With punches despite the leave nothing is charged; without, the absence is reported excused.
            guard own.isEmpty else { return (.excused, []) }
            let minutes = minutesRoundedUp(clock.elapsedOutside(instance.scheduled, breaks))
            return (.excused, [anomaly(instance, .absent, minutes: minutes, cover: cover, excused: true, evidence: [])])
        }
        let measured = Span(start: cover.start, end: cover.end)
        var excluded: [Span] {
            if cover.spans.isEmpty { return breaks }
            return Span.union(breaks + cover.spans)
        }
        if own.isEmpty {
            let minutes = minutesRoundedUp(clock.elapsedOutside(measured, excluded))
            return (.absent, [anomaly(instance, .absent, minutes: minutes, cover: cover, evidence: [])])
        }
        let (arrival, departure) = Self.arrivalAndDeparture(own, start: cover.start, end: cover.end)
        var found: [Anomaly] = []
        if let a = arrival {
            let p = own[a]
            if p.time > cover.start + rules.seconds(\.graceLate) {
                found.append(anomaly(instance, .late, minutes: minutesRoundedUp(clock.elapsed(cover.start, p.time)), cover: cover,
                                     evidence: [evidence(p)]))
            }
        }
        if let d = departure {
            let p = own[d]
            if p.time < cover.end - rules.seconds(\.graceEarly) {
                found.append(anomaly(instance, .earlyLeave, minutes: minutesRoundedUp(clock.elapsed(p.time, cover.end)), cover: cover,
                                     evidence: [evidence(p)]))
            }
        }
        switch (arrival, departure) {
        case (let a?, nil):
            found.append(anomaly(instance, .missingOut, minutes: 0, cover: cover, evidence: [evidence(own[a])]))
        case (nil, let d?):
            found.append(anomaly(instance, .missingIn, minutes: 0, cover: cover, evidence: [evidence(own[d])]))
        case (let a?, let d?):
            let away = AwayInterval.find(in: own, arrival: a, departure: d, shift: template.shift, readers: readers,
                                         measured: measured, excluded: excluded, clock: clock)
            let limit = rules.seconds(\.awayLimit)
            let over = away.filter { $0.countedSeconds > limit && !$0.suspected }
            if let first = over.first, let last = over.last {
                let seconds = over.reduce(Int64(0)) { $0 + $1.countedSeconds }
                var a = anomaly(instance, .offPost, minutes: minutesRoundedUp(seconds), cover: cover,
                                evidence: over.flatMap { [evidence($0.from), evidence($0.to)] })
                a.awayFrom = LocalDateTime(seconds: first.from.time)
                a.awayTo = LocalDateTime(seconds: last.to.time)
                found.append(a)
            }
            // An interval no entrance closed: reported apart, for HR to check, never charged by itself.
            if let open = away.last, open.suspected, open.countedSeconds > limit {
                var a = anomaly(instance, .offPost, minutes: minutesRoundedUp(open.countedSeconds), cover: cover,
                                suspected: true, evidence: [evidence(open.from), evidence(open.to)])
                a.awayFrom = LocalDateTime(seconds: open.from.time)
                a.awayTo = LocalDateTime(seconds: open.to.time)
                found.append(a)
            }
        case (nil, nil):
            break
        }
        return (.present, found)
    }

    /// Arrival: the first punch that is not a known exit. Departure: the last punch after the
    /// arrival that is not a known entrance. A lone punch of known direction is what its direction
    /// says; of unknown direction it is the arrival before the midpoint of the (moved) shift, else
    /// the departure.
    /// Indices are those of `own` (a slice keeps its parent's indices).
    static func arrivalAndDeparture(_ own: ArraySlice<PersonPunch>, start: Int64, end: Int64) -> (Int?, Int?) {
        let first = own.startIndex
        if own.count == 1 {
            switch own[first].direction {
            case .entrance: return (first, nil)
            case .exit: return (nil, first)
            case .unknown: return own[first].time < start + (end - start) / 2 ? (first, nil) : (nil, first)
            }
        }
        let arrival = own.firstIndex { $0.direction != .exit }
        var departure: Int? = nil
        var i = own.endIndex - 1
        let lowest = arrival.map { $0 + 1 } ?? first
        while i >= lowest {
            if own[i].direction != .entrance {
                departure = i
                break
            }
            i -= 1
        }
        return (arrival, departure)
    }

    /// The severity of an anomaly of `kind` and `minutes` on a shift with `rules`.
    static func severity(_ kind: AnomalyKind, minutes: Int, duty: Bool, rules: RuleSettings) -> Severity {
        switch kind {
        case .late, .earlyLeave:
            if minutes > rules.absentMinutes { return .critical }
            return minutes > rules.seriousMinutes ? .serious : .minor
        case .absent: return .critical
        case .offPost: return duty || minutes > 60 ? .critical : .serious
        case .missingIn, .missingOut: return .minor
        }
    }

    private func anomaly(_ instance: ShiftInstance, _ kind: AnomalyKind, minutes: Int, cover: LeaveCover,
                         excused: Bool = false, suspected: Bool = false, evidence: [Evidence]) -> Anomaly {
        let person = people[instance.person]
        let shift = templates[instance].shift
        let duty = shift.kind == .duty
        let id = StableID.anomaly(site: siteID, person: person.id, date: instance.date, shift: shift.code,
                                  kind: kind, start: instance.startTime, suspected: suspected)
        let unit = instance.period == 0 ? person.unit : instance.unit(of: person, moves: moves[person.id] ?? [])
        var a = Anomaly(id: id, person: person.id, name: person.name, unit: unit, date: instance.date,
                       shift: shift.code, shiftName: shift.name, duty: duty, kind: kind,
                       minutes: minutes,
                       severity: Self.severity(kind, minutes: minutes, duty: duty, rules: shift.rules),
                       excused: excused, reason: excused ? cover.reason : nil,
                       expectedStart: LocalDateTime(seconds: cover.whole ? instance.start : cover.start),
                       expectedEnd: LocalDateTime(seconds: cover.whole ? instance.end : cover.end),
                       evidence: evidence)
        a.suspected = suspected
        return a
    }

    /// The evidence record of one punch.
    func evidence(_ p: PersonPunch) -> Evidence {
        // Time and reader as the book holds them (`readers` has the table's reader ids), the file
        // and line from the table: not a whole `Punch`, which would look its badge up too.
        let source = punches.source(at: Int(p.index))
        let f = Int(source.file)
        return Evidence(file: f >= 0 && f < files.count ? files[f] : "#\(f)", line: Int(source.line),
                        time: LocalDateTime(seconds: p.time), reader: readers[Int(p.reader)].id,
                        direction: p.direction)
    }
}
