/// Judges duty instances while they run, for live alerts, with the engine's own pieces: the same
/// punch book (reader directions), planner, debounce and window split, leave cover, arrival rule
/// and away walk (`AwayInterval.walk`) that judge the day. So an alert never says what the day's
/// digest contradicts: "not arrived" is "no arrival by the engine's rule", "away" is an away
/// interval as the engine opens it, "returned" is one the engine closes.
///
/// Decisions where the design is silent:
/// - **In progress**: only duty instances (`kind = "duty"`) with `start <= now <= end + 30 min` are
///   judged; an agent started late judges only those, so it never floods alerts about past nights.
/// - **Current conditions only**: not arrived and away are raised while they are true at `now`
///   (an officer who arrived late before the agent looked gets no 未到岗; the digest's 迟到 says it).
///   Returned is raised for an interval past the limit whose closing punch is at most
///   `returnedWindow` (60 min) before `now`.
/// - **Leave**: a whole-day leave (or timed leave covering the shift) raises nothing; partial leave
///   moves the start and is not away time, as in the engine.
/// - **Reader outage**: on a shift with posts, when every reader at those posts is known offline
///   (`offlineReaders`), the instance is not judged live: the engine would leave it unverified.
/// - **Pending** does not apply: alerts are about what the badges show so far, by design.
public enum DutyWatch {
    /// Instances are judged until this long after their scheduled end (a 已返回 just before the end).
    public static let afterEndSeconds: Int64 = 30 * 60
    /// A return is reported only when its closing punch is at most this old.
    public static let returnedWindow: Int64 = 60 * 60

    /// The first date whose punches `judge` reads at `now`: the day before yesterday (yesterday's
    /// night duties, and the debounce and window split around them). A caller may hold only these.
    public static func firstPunchDate(now: LocalDateTime) -> CivilDate { now.date.adding(days: -2) }

    /// The alerts true at `now` (site-local) for every duty instance in progress.
    /// `offlineReaders`: reader ids known to be offline now (from the push receiver's last calls).
    public static func judge(_ input: AttendanceInput, now: LocalDateTime, offlineReaders: Set<String> = []) -> [DutyAlert] {
        let today = now.date
        let from = today.adding(days: -1)
        // Only the punches of the days that matter (a year of history is millions of punches, and
        // this runs every few seconds); evidence indexes stay those of this copy.
        let floor = firstPunchDate(now: now).midnight
        var input = input
        input.punches.removeAll(before: floor)
        let book = PunchBook(input: input, days: from.adding(days: -1)...today.adding(days: 1), reported: from...today,
                             now: now)
        let planner = ShiftPlanner(input: input, firstDate: from.adding(days: -1), lastDate: today.adding(days: 1))
        let clock = ZoneClock(identifier: input.timeZone, first: from, last: today)
        var moves: [String: [Transfer]] = [:]
        for t in input.transfers { moves[t.person, default: []].append(t) }
        for k in moves.keys { moves[k]!.sort { $0.date < $1.date } }
        let debounce = input.shifts.values.map(\.rules.boundedDebounceSeconds).max() ?? RuleSettings().debounceSeconds
        var leaves: [String: [Leave]] = [:]
        for l in input.leaves { leaves[l.person, default: []].append(l) }
        let judge = InstanceJudge(siteID: input.siteID, people: input.people, punches: input.punches,
                                  files: input.files, readers: book.readers, templates: planner.templates)
        let t = now.seconds
        var alerts: [DutyAlert] = []
        for index in AttendanceEngine.peopleInOutputOrder(input.people) {
            let person = input.people[index]
            let instances = planner.instances(for: person, index: index, from: from, to: today,
                                              moves: moves[person.id] ?? [])
            func isDuty(_ instance: ShiftInstance) -> Bool { planner.templates.shift(of: instance).kind == .duty }
            guard instances.contains(where: { $0.inRange && isDuty($0) && $0.start <= t
                                              && t <= $0.end + afterEndSeconds }) else { continue }
            let own = PunchAssignment.split(PunchAssignment.debounce(book.punches(of: index), seconds: debounce),
                                            among: instances)
            for (k, instance) in instances.enumerated()
            where instance.inRange && isDuty(instance) && instance.start <= t && t <= instance.end + afterEndSeconds {
                let shift = planner.templates.shift(of: instance)
                if isUnverifiable(shift, readers: input.readers, offline: offlineReaders) { continue }
                let cover = LeaveCover(instance, leaves: leaves[person.id] ?? [])
                if cover.whole { continue }
                // Only what has happened by `now` (a reader clock running ahead must not decide the past).
                let seen = own[k].filter { $0.time <= t + 300 }
                let unit = instance.unit(of: person, moves: moves[person.id] ?? [])
                func alert(_ kind: DutyAlertKind, since: Int64, until: Int64? = nil, due: Int64, minutes: Int? = nil,
                           evidence: [PersonPunch] = []) -> DutyAlert {
                    DutyAlert(kind: kind, site: input.siteID, person: person.id, name: person.name, unit: unit,
                              date: instance.date, shift: shift.code, shiftName: shift.name,
                              posts: shift.posts, since: LocalDateTime(seconds: since),
                              until: until.map(LocalDateTime.init(seconds:)), due: LocalDateTime(seconds: due),
                              minutes: minutes, evidence: evidence.map(judge.evidence))
                }
                let slice = ArraySlice(seen)
                let arrival = slice.isEmpty ? nil : InstanceJudge.arrivalAndDeparture(slice, start: cover.start, end: cover.end).0
                guard let a = arrival else {
                    let due = cover.start + shift.rules.seconds(\.graceLate)
                    if t > due { alerts.append(alert(.notArrived, since: cover.start, due: due)) }
                    continue
                }
                let measured = Span(start: cover.start, end: cover.end)
                let breaks = planner.templates.breaks(of: instance)
                let excluded = cover.spans.isEmpty ? breaks : Span.union(breaks + cover.spans)
                func counted(_ from: Int64, _ to: Int64) -> Int64 {
                    Span(start: from, end: to).clipped(to: measured).map { clock.elapsedOutside($0, excluded) } ?? 0
                }
                let limit = shift.rules.seconds(\.awayLimit)
                let (closed, open) = AwayInterval.walk(slice, a..<slice.endIndex, shift: shift, readers: book.readers)
                for c in closed where t - c.to.time <= returnedWindow {
                    let seconds = counted(c.from.time, c.to.time)
                    if seconds > limit {
                        alerts.append(alert(.returned, since: c.from.time, until: c.to.time, due: c.to.time,
                                            minutes: minutesRoundedUp(seconds), evidence: [c.from, c.to]))
                    }
                }
                if let o = open, counted(o.time, t) > limit {
                    alerts.append(alert(.awayOverLimit, since: o.time, due: dueTime(from: o.time, limit: limit, counted: counted),
                                        minutes: shift.rules.minutes(\.awayLimit), evidence: [o]))
                }
            }
        }
        return alerts
    }

    /// The alerts for readers silent past `offlineMinutes`: `lastCalls` are site-local last-call
    /// times by reader id (from the push receiver).
    public static func offlineReaders(site: String, lastCalls: [String: LocalDateTime], now: LocalDateTime,
                                      offlineMinutes: Int) -> [DutyAlert] {
        lastCalls.keys.sorted().compactMap { reader in
            let last = lastCalls[reader]!
            let due = last.adding(minutes: offlineMinutes)
            guard now > due else { return nil }
            return DutyAlert(kind: .readerOffline, site: site, since: last, due: due, minutes: offlineMinutes,
                             reader: reader)
        }
    }

    /// Whether the shift has posts and every reader at them is offline.
    static func isUnverifiable(_ shift: Shift, readers: [ReaderConfig], offline: Set<String>) -> Bool {
        guard !offline.isEmpty, shift.kind == .duty, !shift.posts.isEmpty else { return false }
        let postReaders = readers.filter { $0.post.map(shift.posts.contains) ?? false }.map(\.id)
        return !postReaders.isEmpty && postReaders.allSatisfy(offline.contains)
    }

    /// The first second at which the away time counted from `from` passes `limit` (breaks and leave
    /// do not count, so it can be later than `from + limit`).
    static func dueTime(from: Int64, limit: Int64, counted: (Int64, Int64) -> Int64) -> Int64 {
        var low = from, high = from + limit + 2 * 86_400
        while high - low > 1 {
            let mid = (low + high) / 2
            if counted(from, mid) > limit { high = mid } else { low = mid }
        }
        return high
    }
}
