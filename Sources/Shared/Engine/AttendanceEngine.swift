/// The pure rule engine: attendance input and a request in, anomalies, instance outcomes and
/// data-quality items out. It follows the "Rules" section of DESIGN.md; where the design is
/// silent it decides as follows.
///
/// - **Schedules**: a person's schedules are the most specific tier that names them (`persons`
///   beats `units`; the longest unit prefix wins; every schedule of the winning tier applies).
///   `days = workdays` follows the holiday calendar; a weekday list does not.
/// - **Roster**: applies on any date, holidays included. A work shift replaces the scheduled work
///   shifts of that date, a duty shift comes on top (once), the code `off` (when no shift has that
///   code) removes the date's scheduled work shifts, unknown codes are skipped.
/// - **Context days**: instances of the day before `from` and the day after `to` are planned too,
///   so that they claim their own punches across midnight, but they are not judged or listed.
/// - **Windows** include both ends. The overlap split is the design's; with three overlapping
///   windows the pairwise rule is applied from the earliest instance on.
/// - **Debounce** works per person before the split, against the previous *kept* punch (a burst is
///   one punch at its first swipe), inclusive of the limit, with the largest `debounce_seconds` of
///   the configured shifts (the rules' value unless a shift overrides it).
/// - **Lone punch**: a known entrance is an arrival and a known exit a departure whatever the time;
///   an unknown one is the arrival strictly before the midpoint of the (moved) shift.
/// - **Away**: the punches from the arrival to the departure are walked; an exit (or, on a duty
///   shift with posts, a punch off the posts) opens, an entrance (or a post punch, the departure
///   included) closes; an interval never closed is not counted (no guessing). Each interval is compared with `away_limit` on its own; one `off_post`
///   per instance carries the sum of the intervals over the limit (scenario 05: 40 + 10 with a
///   15-minute limit is 40), `away_from`/`away_to` span the first to the last of them. On a duty
///   shift with posts, a known entrance at another reader does not end an absence from the post.
/// - **Minutes** round seconds up once, after summing.
/// - **Leave**: timed leaves are merged; leave time covering the start moves the start, covering the
///   end moves the end; together covering the whole shift they excuse it. An absence on partial
///   leave counts the scheduled minutes outside breaks and leave. A whole-day leave with punches
///   anyway charges nothing and reports nothing (status `excused`).
/// - **Pending** comes before everything: a pending instance has no anomaly, excused or not. The
///   watermark is the earliest latest-punch over every reader seen or configured (a configured
///   reader that never punched keeps every instance pending until `completeThrough`).
/// - **Reader outage**: judged on the calendar date of the business date; punches of unknown badges
///   count as the reader working, clock-skewed ones do not.
/// - **Quality**: `unknown_badge` only for punches dated within `from...to` (one item per badge);
///   `clock_skew` for every punch before 2001-01-01 or after `now` + 5 minutes, one item per reader
///   and kind; those punches are left out of everything else.
/// - **Several schedules or roster rows** naming the same shift on one date give one instance.
/// - **Order**: people by unit then id (the first row of a repeated id counts), each one's instances
///   by start, anomalies of an instance by kind; no global sort of the outputs.
/// - **Evidence**: late and missing_out carry the arrival, early_leave and missing_in the departure,
///   off_post the opening and closing punch of each counted interval, absent none.
public enum AttendanceEngine {
    /// Judges the business dates `request.from...request.to`.
    public static func evaluate(_ input: AttendanceInput, _ request: EvaluationRequest) -> Evaluation {
        guard request.from <= request.to else { return Evaluation(anomalies: [], quality: [], instances: []) }
        let book = PunchBook(input: input, days: request.from...request.to, reported: request.from...request.to,
                             now: request.now)
        let planner = ShiftPlanner(input: input, firstDate: request.from.adding(days: -1),
                                   lastDate: request.to.adding(days: 1))
        let judge = InstanceJudge(siteID: input.siteID, people: input.people, punches: input.punches,
                                  files: input.files, readers: book.readers)
        let debounce = input.shifts.values.map(\.rules.boundedDebounceSeconds).max() ?? RuleSettings().debounceSeconds
        var leaves: [String: [Leave]] = [:]
        for l in input.leaves { leaves[l.person, default: []].append(l) }
        let watermark = book.siteWatermark

        // People are walked in output order and each one's instances by start, so both lists come out
        // sorted by unit, person, date, shift start (and kind, in the order the judge emits them).
        var anomalies: [Anomaly] = []
        var outcomes: [InstanceOutcome] = []
        var unverified: [CivilDate: Int] = [:]
        for index in peopleInOutputOrder(input.people) {
            let person = input.people[index]
            let instances = planner.instances(for: person, index: index, from: request.from, to: request.to)
            if instances.isEmpty { continue }
            let personLeaves = leaves[person.id] ?? []
            let own = PunchAssignment.split(PunchAssignment.debounce(book.punches(of: index), seconds: debounce),
                                            among: instances)
            for (k, instance) in instances.enumerated() where instance.inRange {
                let status: InstanceOutcome.Status
                let complete = request.completeThrough.map { instance.date <= $0 } ?? false
                if !complete && !(watermark.map { $0 > instance.windowEnd } ?? false) {
                    status = .pending
                } else if !book.anyPunch(on: instance.date) {
                    status = .unverified
                    unverified[instance.date, default: 0] += 1
                } else {
                    let (judged, found) = judge.judge(instance, punches: own[k],
                                                      cover: LeaveCover(instance, leaves: personLeaves))
                    status = judged
                    anomalies.append(contentsOf: found)
                }
                outcomes.append(InstanceOutcome(person: person.id, unit: person.unit, date: instance.date,
                                                shift: instance.shift.code, duty: instance.shift.kind == .duty,
                                                status: status))
            }
        }
        let quality = QualityReport.unknownBadges(book, input: input)
            + QualityReport.clockSkews(book, input: input)
            + QualityReport.silentDates(unverified, readers: book.readers)
        return Evaluation(anomalies: anomalies, quality: quality, instances: outcomes)
    }

    /// Indices of `people` sorted by unit then id; of two rows with one id only the first counts.
    static func peopleInOutputOrder(_ people: [Person]) -> [Int] {
        var seen = Set<String>()
        var order: [Int] = []
        for (i, p) in people.enumerated() where seen.insert(p.id).inserted { order.append(i) }
        order.sort { a, b in
            let x = people[a], y = people[b]
            return x.unit != y.unit ? x.unit < y.unit : (x.id != y.id ? x.id < y.id : a < b)
        }
        return order
    }
}
