/// Reader outages of devices that push in real time (`AttendanceInput.outages`): every judged
/// instance of a person who relies on the reader for its shift (`ReaderSilence.reliance`) and whose
/// window overlaps the outage is unverified; one `reader_silent` item per outage names the reader,
/// the interval and those people.
struct OutageCover {
    /// One outage and whom it leaves unverified.
    struct Covered {
        var outage: ReaderOutage
        var people: [Int] = []
        var instances = 0
    }

    private(set) var unverified: Set<ReaderSilence.Key> = []
    private(set) var covered: [Covered] = []

    func isUnverified(_ person: Int, _ instance: ShiftInstance) -> Bool {
        !unverified.isEmpty
            && unverified.contains(ReaderSilence.Key(person: person, day: instance.date.dayNumber, template: instance.template))
    }

    init() {}

    /// `now` closes an outage still open (else it runs to the end of `to`'s next day).
    init(input: AttendanceInput, book: PunchBook, request: EvaluationRequest, debounce: Int,
         moves: [String: [Transfer]], order: [Int]) {
        var readerIndex: [String: Int32] = [:]
        for (i, r) in book.readers.enumerated() where readerIndex[r.id] == nil { readerIndex[r.id] = Int32(i) }
        let openEnd = request.now ?? LocalDateTime(date: request.to.adding(days: 2), secondsOfDay: 0)
        // Outages of readers that recorded something, overlapping the judged dates' windows.
        let first = LocalDateTime(date: request.from.adding(days: -1), secondsOfDay: 0)
        let last = LocalDateTime(date: request.to.adding(days: 2), secondsOfDay: 0)
        var spans: [(index: Int, reader: Int32, from: Int64, to: Int64)] = []
        for outage in input.outages {
            let end = outage.to ?? max(openEnd, outage.from)
            guard let r = readerIndex[outage.reader], end >= first, outage.from <= last else { continue }
            spans.append((covered.count, r, outage.from.seconds, end.seconds))
            covered.append(Covered(outage: outage))
        }
        if spans.isEmpty { return }
        let low = spans.map { LocalDateTime(seconds: $0.from).date }.min()!
        let high = spans.map { LocalDateTime(seconds: $0.to).date }.max()!
        let span = ReaderSilence.historyDays + 2
        let planner = ShiftPlanner(input: input, firstDate: max(low, request.from).adding(days: -span),
                                   lastDate: min(high, request.to).adding(days: span))
        for index in order {
            let person = input.people[index]
            let instances = planner.instances(for: person, index: index, from: request.from, to: request.to,
                                              moves: moves[person.id] ?? [])
            var wanted: [(Int, [Int])] = []
            for (k, i) in instances.enumerated() where i.inRange {
                let hits = spans.filter { i.windowStart <= $0.to && $0.from <= i.windowEnd }.map(\.index)
                if !hits.isEmpty { wanted.append((k, hits)) }
            }
            if wanted.isEmpty { continue }
            let own = PunchAssignment.split(PunchAssignment.debounce(book.punches(of: index), seconds: debounce),
                                            among: instances)
            for (k, hits) in wanted {
                let relies = ReaderSilence.reliance(instances, own, at: k)
                let instance = instances[k]
                for h in hits {
                    guard let r = readerIndex[covered[h].outage.reader], relies.contains(r) else { continue }
                    let key = ReaderSilence.Key(person: index, day: instance.date.dayNumber, template: instance.template)
                    if unverified.insert(key).inserted {
                        covered[h].instances += 1
                        if !covered[h].people.contains(index) { covered[h].people.append(index) }
                    }
                }
            }
        }
    }
}
