/// "One reader silent": a reader that recorded nothing on a date while others worked, and the
/// people who rely on it.
///
/// - A person *relies on* a reader for a shift when at least a fifth of their punches in their
///   instances of that shift over the 30 calendar days before the date were at it; with none in
///   those days, the 30 days after. History before `from` counts: the engine plans those days
///   too, for the people with an instance near a candidate date (only when some reader is a
///   candidate, so a site whose readers all work pays nothing).
/// - A reader is *silent* on a date the data covers (on or before `completeThrough`, or before some
///   reader's watermark) when it recorded nothing that date, another reader recorded something
///   (else the whole-site outage rule applies), and at least two people who rely on it for a shift
///   had an instance of that shift on that business date.
/// - Every judged instance of a person who relies on a silent reader for its shift, whose window
///   touches the silent date, is unverified.
///
/// Each person's instances are planned once, by the engine, for this check and for the judging:
/// it finds the candidates (`init`), hands each person's instances and punches to `collect` in
/// output order, asks `known` before judging an instance (one that depends on people not yet
/// collected waits until they are), then calls `finish`.
struct ReaderSilence {
    struct Key: Hashable {
        var person: Int
        var day: Int
        /// The shift's template index: every planner of one input numbers the shifts alike.
        var template: Int32
    }

    /// One silent reader on one date and whom it leaves unverified.
    struct Silent {
        var reader: Int32
        var date: CivilDate
        /// Person indices, in the order found.
        var people: [Int] = []
        var instances = 0
    }

    private(set) var unverified: Set<Key> = []
    private(set) var silent: [Silent] = []

    /// The share of a person's punches at a reader from which they rely on it: one fifth.
    static let relianceShare = 5
    /// Days of history (before, or else after) that reliance is measured over.
    static let historyDays = 30

    /// Readers that recorded nothing on a day (number) while another reader did: the candidates.
    private var candidates: [Int: [Int32]] = [:]
    /// `candidateDay[d - firstCandidate]`: day number `d` has candidates (asked of every instance: an
    /// array, not a hash).
    private var candidateDay: [Bool] = []
    private var firstCandidate = 0
    /// The business dates whose windows can touch a candidate date (it and the days either side), sorted.
    private var touchedDays: [Int] = []
    /// The days reliance may read: the candidate dates and `historyDays + 2` either side.
    private(set) var plannedDays: ClosedRange<Int>?
    /// A judged instance that a silent reader may leave unverified (`known` was not `false`), and the
    /// readers its person relies on for it.
    private struct Judged { var person: Int; var instance: ShiftInstance; var relies: [Int32] }
    private var judged: [Judged] = []
    /// reader << 32 | day → the people relying on the reader who had an instance that day.
    private var relying: [Int64: Set<Int>] = [:]

    func isUnverified(_ person: Int, _ instance: ShiftInstance) -> Bool {
        !unverified.isEmpty && unverified.contains(Key(person: person, day: instance.date.dayNumber, template: instance.template))
    }

    init() {}

    /// Finds the candidate readers and dates. The people's instances are planned by the caller,
    /// once for both the silence and the judging: it passes each person's to `collect` (planned
    /// over at least `stretch(for:moves:planner:)`), then calls `finish`.
    init(input: AttendanceInput, book: PunchBook, request: EvaluationRequest, moves: [String: [Transfer]], order: [Int]) {
        // Candidates: (reader, date) with nothing at that reader while another reader punched.
        let latest = book.readers.compactMap(\.watermark).max()
        for (offset, punched) in book.punchedDay.enumerated() where punched {
            let day = book.firstDay + offset
            let date = CivilDate(dayNumber: day)
            let complete = request.completeThrough.map { date <= $0 } ?? false
            guard complete || (latest.map { $0 >= Int64(day + 1) * 86_400 } ?? false) else { continue }
            guard date <= request.to else { continue }
            for r in book.readers.indices where !book.readerPunched(Int32(r), dayOffset: offset) {
                candidates[day, default: []].append(Int32(r))
            }
        }
        guard let low = candidates.keys.min(), let high = candidates.keys.max() else { return }
        let span = Self.historyDays + 2
        let planner = ShiftPlanner(input: input, firstDate: CivilDate(dayNumber: low - span),
                                   lastDate: CivilDate(dayNumber: high + span))
        // A date can be silent only when two people or more have an instance that business date:
        // counted without planning, this drops the weekends on which only the duty room's readers
        // work (one duty officer), so that only the dates that matter are planned for.
        var working: [Int: Int] = [:]
        let candidateDays = candidates.keys.sorted()
        for index in order {
            let person = input.people[index]
            for d in planner.instanceDays(for: person, moves: moves[person.id] ?? [], among: candidateDays) {
                working[d, default: 0] += 1
            }
        }
        candidates = candidates.filter { working[$0.key, default: 0] >= 2 }
        if candidates.isEmpty { return }
        var touched = Set<Int>()
        for d in candidates.keys { touched.formUnion([d - 1, d, d + 1]) }
        touchedDays = touched.sorted()
        plannedDays = (low - span)...(high + span)
        firstCandidate = low
        candidateDay = Array(repeating: false, count: high - low + 1)
        for d in candidates.keys { candidateDay[d - low] = true }
    }

    /// The days of `person`'s instances that reliance reads (nil: none): most people have no
    /// instance on most candidate dates (weekends, when only the duty room's readers work), and
    /// the others need only the stretch their reliance reads.
    func stretch(for person: Person, moves: [Transfer], planner: ShiftPlanner) -> ClosedRange<Int>? {
        guard let planned = plannedDays else { return nil }
        let days = planner.instanceDays(for: person, moves: moves, among: touchedDays)
        guard let first = days.first, let last = days.last else { return nil }
        let span = Self.historyDays + 2
        return max(first - span, planned.lowerBound)...min(last + span, planned.upperBound)
    }

    /// Reads one person's reliance from their instances (sorted by start, planned over their
    /// `stretch` at least) and their punches split among them. Returns, by instance index, the
    /// readers relied on for each judged instance a silent reader could leave unverified.
    mutating func collect(_ index: Int, _ instances: [ShiftInstance], _ own: PunchSplit) -> [Int: [Int32]] {
        guard !candidates.isEmpty else { return [:] }
        var result: [Int: [Int32]] = [:]
        for (k, instance) in instances.enumerated() {
            // Only instances on a candidate date, or judged ones whose window touches one, need reliance.
            let touches = (instance.windowStart.floorDay...instance.windowEnd.floorDay).contains(where: isCandidate)
            guard isCandidate(instance.date.dayNumber) || (instance.inRange && touches) else { continue }
            let relies = Self.reliance(instances, own, at: k)
            if relies.isEmpty { continue }
            if let readers = candidates[instance.date.dayNumber] {
                for r in readers where relies.contains(r) {
                    relying[Self.key(r, instance.date.dayNumber), default: []].insert(index)
                }
            }
            if instance.inRange { result[k] = relies }
        }
        return result
    }

    /// What is known of a judged instance before every person is collected: a reader it relies on
    /// already has two relying people on a date its window touches (`true`: unverified), none of
    /// its readers is a candidate on those dates (`false`), or it depends on people not yet seen (nil).
    func known(_ instance: ShiftInstance, relies: [Int32]?) -> Bool? {
        guard let relies else { return false }
        var open = false
        for day in instance.windowStart.floorDay...instance.windowEnd.floorDay where isCandidate(day) {
            guard let readers = candidates[day] else { continue }
            for r in relies where readers.contains(r) {
                if relying[Self.key(r, day)]?.count ?? 0 >= 2 { return true }
                open = true
            }
        }
        return open ? nil : false
    }

    /// Keeps a judged instance for which `known` was not `false`, so that `finish` names it under the
    /// silent reader (in the order noted: people in output order, each one's instances by start).
    mutating func note(_ person: Int, _ instance: ShiftInstance, relies: [Int32]) {
        judged.append(Judged(person: person, instance: instance, relies: relies))
    }

    /// Decides the silent readers once every person is collected: those with two relying people
    /// or more on their date, and the judged instances they leave unverified.
    mutating func finish() {
        var silentIndex: [Int64: Int] = [:]
        for (k, people) in relying.sorted(by: { $0.key < $1.key }) where people.count >= 2 {
            silentIndex[k] = silent.count
            silent.append(Silent(reader: Int32(k >> 32), date: CivilDate(dayNumber: Int(Int32(truncatingIfNeeded: k)))))
        }
        defer { judged = []; relying = [:] }
        if silent.isEmpty { return }
        for j in judged {
            for day in j.instance.windowStart.floorDay...j.instance.windowEnd.floorDay {
                for r in j.relies {
                    guard let s = silentIndex[Self.key(r, day)] else { continue }
                    let k = Key(person: j.person, day: j.instance.date.dayNumber, template: j.instance.template)
                    if unverified.insert(k).inserted {
                        silent[s].instances += 1
                        if !silent[s].people.contains(j.person) { silent[s].people.append(j.person) }
                    }
                }
            }
        }
        silent.sort { ($0.date, $0.reader) < ($1.date, $1.reader) }
    }

    private func isCandidate(_ day: Int) -> Bool {
        day >= firstCandidate && day - firstCandidate < candidateDay.count && candidateDay[day - firstCandidate]
    }

    private static func key(_ r: Int32, _ day: Int) -> Int64 { Int64(r) << 32 | Int64(UInt32(truncatingIfNeeded: day)) }

    /// The readers the person relies on for the shift of `instances[k]` on its date: at least a
    /// fifth of their punches in their instances of that shift over the 30 days before (else after).
    static func reliance(_ instances: [ShiftInstance], _ own: PunchSplit, at k: Int) -> [Int32] {
        let target = instances[k]
        let day = target.date.dayNumber
        // A person punches at a handful of readers: counted in a short list, not hashed per punch.
        var counts: [(reader: Int32, punches: Int)] = []
        for range in [(day - historyDays)...(day - 1), (day + 1)...(day + historyDays)] {
            counts.removeAll(keepingCapacity: true)
            var total = 0
            // Instances are sorted by start, so by date: only the range's stretch is walked.
            var j = firstIndex(instances, onOrAfter: range.lowerBound)
            while j < instances.count, instances[j].date.dayNumber <= range.upperBound {
                if j != k, instances[j].template == target.template {
                    for p in own[j] {
                        if let c = counts.firstIndex(where: { $0.reader == p.reader }) {
                            counts[c].punches += 1
                        } else {
                            counts.append((p.reader, 1))
                        }
                        total += 1
                    }
                }
                j += 1
            }
            if total > 0 { return counts.filter { $0.punches * relianceShare >= total }.map(\.reader).sorted() }
        }
        return []
    }

    /// The first index of `instances` (sorted by start) whose date is `day` or later.
    static func firstIndex(_ instances: [ShiftInstance], onOrAfter day: Int) -> Int {
        var low = 0, high = instances.count
        while low < high {
            let mid = (low + high) / 2
            if instances[mid].date.dayNumber < day { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension Int64 {
    /// The day number of a local time in seconds.
    var floorDay: Int { Int(self >= 0 ? self / 86_400 : (self - 86_399) / 86_400) }
}
