/// Every punch of the day of the people with an anomaly: what the anomaly page's timeline draws
/// (day summary schema 3), beside the few punches the anomalies carry as evidence.
///
/// Taken from the same `AttendanceInput` the evaluation ran on (no second read of any file), apart
/// from the evaluation itself: the judged outputs do not change. For a person and a business date,
/// the punches kept are those whose time falls in the punch window of one of the person's shift
/// instances of that date (the windows the engine assigns punches by, `[start - check_in_early,
/// end + check_out_late]`, both ends included), every swipe as the badge file has it (a swipe the
/// debounce dropped is still shown: the page shows what the reader recorded). A punch attributed to
/// nobody by the engine (clock-skewed, a badge on another person's row first) is left out the same
/// way. Direction is the one the rules take (the reader's configuration, then the state).
extension AttendanceEngine {
    /// The day punches of each date of `anomalies` for each person with an anomaly that date: per
    /// date, one entry per person sorted by person, punches in time order then file and line, at
    /// most `DaySummary.dayPunchLimit` of them (`omitted` counts the rest). A person with no punch
    /// in their windows has an entry with none.
    public static func dayPunches(_ input: AttendanceInput, _ request: EvaluationRequest,
                                  for anomalies: [Anomaly]) -> [CivilDate: [PersonDayPunches]] {
        var wanted: [String: Set<CivilDate>] = [:]
        for a in anomalies where a.date >= request.from && a.date <= request.to {
            wanted[a.person, default: []].insert(a.date)
        }
        guard !wanted.isEmpty else { return [:] }
        var rowOfID: [String: Int] = [:]
        var rowOfBadge: [String: Int] = [:]
        for (i, p) in input.people.enumerated() {
            if rowOfID[p.id] == nil { rowOfID[p.id] = i }
            if rowOfBadge[p.badge] == nil { rowOfBadge[p.badge] = i }
        }
        var moves: [String: [Transfer]] = [:]
        for t in input.transfers where wanted[t.person] != nil { moves[t.person, default: []].append(t) }
        for k in moves.keys { moves[k]!.sort { $0.date < $1.date } }
        let planner = ShiftPlanner(input: input, firstDate: request.from.adding(days: -1),
                                   lastDate: request.to.adding(days: 1))
        // Per wanted person row: the windows of each wanted date.
        struct Window { var date: CivilDate; var start: Int64; var end: Int64 }
        var windows: [Int: [Window]] = [:]
        for (id, dates) in wanted {
            guard let row = rowOfID[id], rowOfBadge[input.people[row].badge] == row else { continue }
            let days = dates.map(\.dayNumber)
            let instances = planner.instances(for: input.people[row], index: row, from: request.from, to: request.to,
                                              moves: moves[id] ?? [], within: days.min()!...days.max()!)
            let mine = instances.filter { dates.contains($0.date) }
                .map { Window(date: $0.date, start: $0.windowStart, end: $0.windowEnd) }
            if !mine.isEmpty { windows[row] = mine }
        }
        guard !windows.isEmpty else { return [:] }
        let table = input.punches
        // The table's badges resolved once each to a wanted row (-1: nobody wanted).
        let rowOfTableBadge = table.badgeIDs.map { id -> Int in
            guard let row = rowOfBadge[id], windows[row] != nil else { return -1 }
            return row
        }
        var directionOfReader: [String: ReaderConfig.Direction] = [:]
        for r in input.readers where directionOfReader[r.id] == nil { directionOfReader[r.id] = r.direction }
        // Every wanted person-day has an entry, empty when no punch fell in its windows (an absence):
        // the collector then knows the day was looked at, not left out.
        var found: [CivilDate: [Int: [Evidence]]] = [:]
        for (row, list) in windows { for w in list where found[w.date]?[row] == nil { found[w.date, default: [:]][row] = [] } }
        for i in table.indices {
            let row = rowOfTableBadge[Int(table.badge(at: i))]
            guard row >= 0 else { continue }
            let t = table.time(at: i)
            guard PlausiblePunch.contains(t, now: request.now) else { continue }
            var dates: [CivilDate] = []
            for w in windows[row]! where t >= w.start && t <= w.end && !dates.contains(w.date) { dates.append(w.date) }
            guard !dates.isEmpty else { continue }
            let source = table.source(at: i)
            let f = Int(source.file)
            let reader = table.readerIDs[Int(table.reader(at: i))]
            let direction = PunchBook.direction(directionOfReader[reader] ?? .unknown, state: table.state(at: i))
            let evidence = Evidence(file: f >= 0 && f < input.files.count ? input.files[f] : "#\(f)",
                                    line: Int(source.line), time: LocalDateTime(seconds: t), reader: reader,
                                    direction: direction)
            for d in dates { found[d, default: [:]][row, default: []].append(evidence) }
        }
        var result: [CivilDate: [PersonDayPunches]] = [:]
        for (date, rows) in found {
            var entries: [PersonDayPunches] = []
            for (row, punches) in rows {
                let sorted = punches.sorted { a, b in
                    a.time != b.time ? a.time < b.time : (a.file != b.file ? a.file < b.file : a.line < b.line)
                }
                let kept = Array(sorted.prefix(DaySummary.dayPunchLimit))
                entries.append(PersonDayPunches(person: input.people[row].id, punches: kept,
                                                omitted: sorted.count - kept.count))
            }
            result[date] = entries.sorted { $0.person < $1.person }
        }
        return result
    }
}
