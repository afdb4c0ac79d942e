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
///   so that they claim their own punches across midnight, but they are not judged or listed. For
///   a person whose reliance the silent-reader check reads, the days it reads are planned in the
///   same pass (each person is planned once): they are context days too.
/// - **Windows** include both ends. The overlap split is the design's; with three overlapping
///   windows the pairwise rule is applied from the earliest instance on.
/// - **Debounce** works per person before the split, against the previous *kept* punch (a burst is
///   one punch at its first swipe), inclusive of the limit, with the largest `debounce_seconds` of
///   the configured shifts (the rules' value unless a shift overrides it).
/// - **Lone punch**: a known entrance is an arrival and a known exit a departure whatever the time;
///   an unknown one is the arrival strictly before the midpoint of the (moved) shift.
/// - **Away**: the punches from the arrival up to (not including) the departure are walked; an exit
///   (or, on a duty shift with posts, a punch off the posts) opens, an entrance (or a post punch)
///   closes. Each closed interval is compared with `away_limit` on its own; one `off_post` per
///   instance carries the sum of the intervals over the limit (scenario 05: 40 + 10 with a
///   15-minute limit is 40), `away_from`/`away_to` span the first to the last of them. On a duty
///   shift with posts, a known entrance at another reader does not end an absence from the post.
/// - **Suspected**: the departure closes nothing; an interval still open at the departure runs from
///   its opening punch to the departure and, past the limit, is a second `off_post` of the instance
///   with `suspected: true` (evidence: the opening punch and the departure). It never adds to the
///   charged one, to counts, totals or figures. Its stable id has a suffix of its own, so a review
///   of the charged `off_post` of the same instance never sticks to it (and the reverse). Excused by
///   whole-day leave it is not reported (the instance has no anomaly then); partial leave clips it
///   like any away time.
/// - **One reader silent** (`ReaderSilence`): reliance counts the person's debounced punches of the
///   same shift code in instances planned over the 30 days before the business date (context and
///   history instances included, `from` notwithstanding), else the 30 after; a fifth is enough.
///   A candidate date is one inside `from − 1 … to + 1` on which some reader punched and the
///   reader did not, on or before `to` and covered by `completeThrough` or some reader's
///   watermark. Two relying people must have an instance of the shift that date; then every judged
///   instance of a relying person whose window touches the date is `unverified` (one item per
///   reader and date names them). The duty officer who alone relies on a reader is judged as usual.
///   Whole-site outage still wins for its dates; the two never both apply to one instance.
/// - **Reader outages** (`OutageCover`, devices that push): a judged instance of a person who relies
///   on the reader for its shift (the same reliance) and whose window overlaps the outage, ends
///   included, is `unverified`; an outage still open runs to `now` (or past `to` without it). One
///   `reader_silent` item per outage that left someone unverified, with the interval.
/// - **Employment**: an instance exists only on dates from `joined` through `left`, both included
///   (the leaving day is still worked). A row with an unreadable date is skipped whole at ingest.
/// - **Transfers**: from its date the person's schedules are the new unit's (the tiers are
///   re-evaluated per unit; schedules naming the person still win), and outcomes and anomalies
///   carry the unit of their business date, so a night duty that began before the transfer date
///   stays in the old unit. The people file's unit holds before the first transfer; output order
///   stays by the people file's unit.
/// - **Time zones** (`ZoneClock`): late, early, absent and away minutes are real elapsed minutes
///   between the wall-clock times under `site.timezone`'s rules; windows, debounce and dates stay
///   wall-clock. A wall-clock time repeated by the autumn change is read at its first occurrence
///   (the reader cannot tell which), one skipped by the spring change with the new offset.
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
        let book = PunchBook(input: input, days: request.from.adding(days: -1)...request.to.adding(days: 1),
                             reported: request.from...request.to, now: request.now)
        var moves: [String: [Transfer]] = [:]
        for t in input.transfers { moves[t.person, default: []].append(t) }
        for k in moves.keys { moves[k]!.sort { $0.date < $1.date } }
        let debounce = input.shifts.values.map(\.rules.boundedDebounceSeconds).max() ?? RuleSettings().debounceSeconds
        var leaves: [String: [Leave]] = [:]
        for l in input.leaves { leaves[l.person, default: []].append(l) }
        let watermark = book.siteWatermark

        // People are walked in output order and each one's instances by start, so both lists come out
        // sorted by unit, person, date, shift start (and kind, in the order the judge emits them).
        // Anomalies are collected in runs and joined once at the end (`AnomalyRuns`): one growing
        // array would be copied into one twice its size as it grows, both held at once.
        var anomalies = AnomalyRuns()
        var outcomes = InstanceOutcomes()
        var unverified: [CivilDate: Int] = [:]
        let order = peopleInOutputOrder(input.people)
        // About one outcome per person and date: reserved, not written, so only the pages used become
        // resident, and a year's million outcomes are not copied into a twice larger array as they grow
        // (which held both at once). Bounded for very large requests, which grow as usual past it.
        let days = request.to.dayNumber - request.from.dayNumber + 1
        outcomes.reserveCapacity(min(order.count * days, 1 << 22))
        var silence = ReaderSilence(input: input, book: book, request: request, moves: moves, order: order)
        let outages = OutageCover(input: input, book: book, request: request, debounce: debounce, moves: moves,
                                  order: order)
        // Each person's instances are planned once, for the silent-reader check and the judging:
        // over the judged dates and a day each side, and for the people whose reliance the check
        // reads, over its stretch too (history before `from` included). Instances of the extra days
        // are not judged; they claim their own punches as the context days do.
        let judgedDays = request.from.adding(days: -1).dayNumber...request.to.adding(days: 1).dayNumber
        let planned = silence.plannedDays.map {
            min($0.lowerBound, judgedDays.lowerBound)...max($0.upperBound, judgedDays.upperBound)
        } ?? judgedDays
        let planner = ShiftPlanner(input: input, firstDate: CivilDate(dayNumber: planned.lowerBound),
                                   lastDate: CivilDate(dayNumber: planned.upperBound))
        var judge = InstanceJudge(siteID: input.siteID, people: input.people, punches: input.punches,
                                  files: input.files, readers: book.readers, templates: planner.templates)
        judge.clock = ZoneClock(identifier: input.timeZone, first: request.from, last: request.to)
        judge.moves = moves
        // A silent reader needs two relying people on its date, so an instance that depends on people
        // not yet walked waits until all are (`Deferred`): a few, the first relying people of each date.
        var deferred: [Deferred] = []
        for index in order {
            let person = input.people[index]
            let mine = moves[person.id] ?? []
            let stretch = silence.stretch(for: person, moves: mine, planner: planner)
            let days = stretch.map { min($0.lowerBound, judgedDays.lowerBound)...max($0.upperBound, judgedDays.upperBound) }
            let instances = planner.instances(for: person, index: index, from: request.from, to: request.to,
                                              moves: mine, within: days ?? judgedDays)
            if instances.isEmpty { continue }
            let personLeaves = leaves[person.id] ?? []
            let own = PunchAssignment.split(PunchAssignment.debounce(book.punches(of: index), seconds: debounce),
                                            among: instances)
            let relies = stretch == nil ? [:] : silence.collect(index, instances, own)
            for (k, instance) in instances.enumerated() where instance.inRange {
                // Whether a silent reader leaves it unverified: known now, or (nil) only once everyone
                // is walked. The silent readers' items count every instance they cover, pending too.
                let silenced = silence.known(instance, relies: relies[k])
                if silenced != false { silence.note(index, instance, relies: relies[k] ?? []) }
                let status: InstanceOutcome.Status
                let complete = request.completeThrough.map { instance.date <= $0 } ?? false
                if !complete && !(watermark.map { $0 > instance.windowEnd } ?? false) {
                    status = .pending
                } else if silenced == true || outages.isUnverified(index, instance) {
                    status = .unverified
                } else if silenced == nil {
                    // Judged below; its outcome's status and anomalies are put in their places then.
                    status = .pending
                    deferred.append(Deferred(outcome: outcomes.count, anomalies: anomalies.count, instance: instance,
                                             punches: Array(own[k]), leaves: personLeaves))
                } else if !book.anyPunch(on: instance.date) {
                    status = .unverified
                    unverified[instance.date, default: 0] += 1
                } else {
                    let (judged, found) = judge.judge(instance, punches: own[k],
                                                      cover: LeaveCover(instance, leaves: personLeaves))
                    status = judged
                    anomalies.append(found)
                }
                let unit = instance.period == 0 ? person.unit : instance.unit(of: person, moves: mine)
                let shift = planner.templates[instance].shift
                outcomes.append(InstanceOutcome(person: person.id, unit: unit, date: instance.date,
                                                shift: shift.code, duty: shift.kind == .duty, status: status))
            }
        }
        silence.finish()
        var late: [(at: Int, anomalies: [Anomaly])] = []
        for d in deferred {
            var outcome = outcomes[d.outcome]
            if silence.isUnverified(d.instance.person, d.instance) {
                outcome.status = .unverified
            } else if !book.anyPunch(on: d.instance.date) {
                outcome.status = .unverified
                unverified[d.instance.date, default: 0] += 1
            } else {
                let (judged, found) = judge.judge(d.instance, punches: d.punches[...],
                                                  cover: LeaveCover(d.instance, leaves: d.leaves))
                outcome.status = judged
                late.append((d.anomalies, found))
            }
            outcomes[d.outcome] = outcome
        }
        let quality = QualityReport.unknownBadges(book, input: input)
            + QualityReport.clockSkews(book, input: input)
            + QualityReport.silentDates(unverified, readers: book.readers)
            + QualityReport.silentReaders(silence, book: book, people: input.people)
            + QualityReport.outages(outages, people: input.people)
        return Evaluation(anomalies: anomalies.joined(inserting: late), quality: quality, instances: outcomes)
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

/// Anomalies collected in runs of a few thousand and joined into one array at the end.
///
/// A year of an office has over 100,000 anomalies of about 200 bytes each. Appended to one array,
/// the last time it grows it is copied into a buffer twice its size while both are held: 27 MB
/// more at the run's peak. Here no run is ever copied while growing (each is reserved whole), and
/// the join releases each run as soon as it is copied, so the anomalies are held about once.
struct AnomalyRuns {
    static let runLength = 4_096
    private var runs: [[Anomaly]] = []
    private(set) var count = 0

    mutating func append(_ found: [Anomaly]) {
        for a in found {
            if runs.isEmpty || runs[runs.count - 1].count == Self.runLength {
                runs.append([])
                runs[runs.count - 1].reserveCapacity(Self.runLength)
            }
            runs[runs.count - 1].append(a)
            count += 1
        }
    }

    /// Every anomaly in the order appended, with each of `late`'s put before the one appended at
    /// its `at` (the count when it was left out; `late` in order of `at`); the runs are emptied.
    mutating func joined(inserting late: [(at: Int, anomalies: [Anomaly])] = []) -> [Anomaly] {
        var all: [Anomaly] = []
        all.reserveCapacity(count + late.reduce(0) { $0 + $1.anomalies.count })
        var next = 0
        var position = 0  // of runs[i]'s first anomaly among all appended
        for i in runs.indices {
            let run = runs[i]
            var from = 0
            while next < late.count, late[next].at < position + run.count {
                let cut = late[next].at - position
                all.append(contentsOf: run[from..<cut])
                all.append(contentsOf: late[next].anomalies)
                from = cut
                next += 1
            }
            all.append(contentsOf: run[from...])
            position += run.count
            runs[i] = []
        }
        for rest in late[next...] { all.append(contentsOf: rest.anomalies) }
        count = 0
        return all
    }
}

/// A judged instance whose status waits for every person's reliance (a reader it relies on may
/// turn out silent), with what judging it needs and where its outcome and anomalies go.
struct Deferred {
    /// Index of its outcome, appended with a placeholder status.
    var outcome: Int
    /// The number of anomalies appended before it: its own go there.
    var anomalies: Int
    var instance: ShiftInstance
    var punches: [PersonPunch]
    var leaves: [Leave]
}
