/// A punch as the rules see it: where it is in the input, when, at which reader, in which direction.
///
/// 16 bytes, as one is held for every punch of the run: the reader and the direction share one
/// word (the reader index shifted left by two bits, the direction in the low two), and the time
/// comes first so that no padding follows the 32-bit fields.
struct PersonPunch: Sendable {
    let time: Int64
    /// Index into `AttendanceInput.punches`.
    let index: Int32
    private let readerAndDirection: UInt32

    init(index: Int32, reader: Int32, time: Int64, direction: PunchDirection) {
        // A reader index needs 30 bits: there are never more readers than punches, and a billion
        // punches would not fit in memory before this did not.
        precondition(reader >= 0 && reader < 1 << 30, "reader index out of range")
        let code: UInt32 = switch direction {
        case .unknown: 0
        case .entrance: 1
        case .exit: 2
        }
        self.time = time
        self.index = index
        readerAndDirection = UInt32(reader) << 2 | code
    }

    /// Index into `PunchBook.readers`.
    var reader: Int32 { Int32(readerAndDirection >> 2) }

    var direction: PunchDirection {
        switch readerAndDirection & 3 {
        case 1: .entrance
        case 2: .exit
        default: .unknown
        }
    }
}

/// What the engine knows about one reader id.
struct ReaderInfo: Sendable {
    var id: String
    var post: String?
    var direction: ReaderConfig.Direction
    /// The latest punch this reader recorded (clock-skewed ones excepted).
    var watermark: Int64?
}

/// Punches excluded because the reader's clock is wrong.
struct SkewRecord: Sendable {
    enum Kind: Hashable, Sendable { case future, reset }
    var reader: Int32
    var kind: Kind
    var first: Int32
    var count: Int
}

/// Which punch times the rules take: not from a reset clock (before `PunchBook.plausibleStart`,
/// 2001-01-01) nor more than five minutes after `now` (a clock running ahead). Everything that counts
/// punches beside the rules (day punches, unknown badges per date) asks this, so its counts stay
/// the engine's.
public enum PlausiblePunch {
    /// How far past `now` a punch may be (readers' clocks drift a little).
    static let aheadSeconds: Int64 = 300

    /// The latest plausible time at `now`: no bound without one.
    static func latest(now: LocalDateTime?) -> Int64 { now.map { $0.seconds + aheadSeconds } ?? Int64.max }

    public static func contains(_ t: Int64, now: LocalDateTime?) -> Bool {
        t >= PunchBook.plausibleStart && t <= latest(now: now)
    }
}

/// The input's punches sorted into people, with reader facts.
///
/// The hot path of the engine: the `PunchTable` holds each badge and reader id once, so they are
/// resolved once each (not per punch), no strings are built or compared per punch, and every
/// person's punches go into one flat buffer filled by counting sort rather than millions of small
/// array appends.
struct PunchBook {
    var readers: [ReaderInfo] = []
    /// Every attributed punch, grouped by person and sorted by time within a person.
    private var flat: [PersonPunch]
    /// Person `p` owns `flat[starts[p]..<starts[p + 1]]`.
    private var starts: [Int]
    /// Punches of badges on nobody's row, by badge: the first one and the count (judged dates only).
    var unknownBadges: [String: (first: Int32, count: Int)] = [:]
    var skews: [SkewRecord] = []
    /// `punchedDay[i]`: some reader recorded a punch on `firstDay + i` (any badge).
    var punchedDay: [Bool]
    /// `readerDays[r][i]`: reader `r` recorded a punch on `firstDay + i`.
    private var readerDays: [[Bool]] = []
    let firstDay: Int

    /// Punches before this (2001-01-01 00:00) come from a reader whose clock was reset.
    static let plausibleStart: Int64 = Int64(CivilDate(year: 2001, month: 1, day: 1)!.dayNumber) * 86_400

    /// Sorts `input.punches` by person. `days` are the calendar dates whose silence matters;
    /// `reported` the dates on which unknown badges are reported; `now` bounds plausible times.
    init(input: AttendanceInput, days: ClosedRange<CivilDate>, reported: ClosedRange<CivilDate>, now: LocalDateTime?) {
        firstDay = days.lowerBound.dayNumber
        punchedDay = Array(repeating: false, count: days.upperBound.dayNumber - firstDay + 1)
        let noDays = punchedDay
        var readerIndex: [String: Int32] = [:]
        for r in input.readers where readerIndex[r.id] == nil {
            readerIndex[r.id] = Int32(readers.count)
            readers.append(ReaderInfo(id: r.id, post: r.post, direction: r.direction, watermark: nil))
            readerDays.append(noDays)
        }
        var personByBadge: [String: Int32] = [:]
        personByBadge.reserveCapacity(input.people.count)
        for (i, p) in input.people.enumerated() where personByBadge[p.badge] == nil {
            personByBadge[p.badge] = Int32(i)
        }
        let latest = PlausiblePunch.latest(now: now)
        let reportFirst = Int64(reported.lowerBound.dayNumber) * 86_400
        let reportEnd = Int64(reported.upperBound.dayNumber + 1) * 86_400
        var skewIndex: [Int64: Int] = [:]
        let table = input.punches
        // The table's badges and readers are each resolved once: to a person (-1: nobody's badge)
        // and to an index into `readers` (-1: not met yet; new readers are added as first punched).
        let personOfBadge = table.badgeIDs.map { personByBadge[$0] ?? -1 }
        var readerOfTableReader = [Int32](repeating: -1, count: table.readerIDs.count)
        // Whether punch `i` is judged: neither clock-skewed nor of an unknown badge.
        func judged(_ i: Int) -> Bool {
            let t = table.time(at: i)
            return t >= PunchBook.plausibleStart && t <= latest && personOfBadge[Int(table.badge(at: i))] >= 0
        }
        // Pass 1: the facts of the readers, and how many punches each person has.
        var counts = [Int](repeating: 0, count: input.people.count + 1)

        for i in table.indices {
            let t = table.time(at: i)
            let tableReader = Int(table.reader(at: i))
            var r = readerOfTableReader[tableReader]
            if r < 0 {
                let id = table.readerIDs[tableReader]
                if let known = readerIndex[id] {
                    r = known
                } else {
                    r = Int32(readers.count)
                    readerIndex[id] = r
                    readers.append(ReaderInfo(id: id, post: nil, direction: .unknown, watermark: nil))
                    readerDays.append(noDays)
                }
                readerOfTableReader[tableReader] = r
            }
            if t < PunchBook.plausibleStart || t > latest {
                let kind: SkewRecord.Kind = t < PunchBook.plausibleStart ? .reset : .future
                let key = Int64(r) << 1 | (kind == .reset ? 1 : 0)
                if let k = skewIndex[key] {
                    skews[k].count += 1
                } else {
                    skewIndex[key] = skews.count
                    skews.append(SkewRecord(reader: r, kind: kind, first: Int32(i), count: 1))
                }
                continue
            }
            if readers[Int(r)].watermark.map({ t > $0 }) ?? true { readers[Int(r)].watermark = t }
            let day = Int(t >= 0 ? t / 86_400 : (t - 86_399) / 86_400) - firstDay
            if day >= 0 && day < punchedDay.count {
                punchedDay[day] = true
                readerDays[Int(r)][day] = true
            }

            let badge = Int(table.badge(at: i))
            let person = personOfBadge[badge]
            if person < 0 {
                if t >= reportFirst && t < reportEnd {
                    let id = table.badgeIDs[badge]
                    if let seen = unknownBadges[id] {
                        unknownBadges[id] = (seen.first, seen.count + 1)
                    } else {
                        unknownBadges[id] = (Int32(i), 1)
                    }
                }
                continue
            }
            counts[Int(person) + 1] += 1
        }
        // Pass 2: counting sort into one buffer, then each person's part sorted by time.
        for p in 0..<input.people.count { counts[p + 1] += counts[p] }
        var next = counts
        flat = [PersonPunch](repeating: PersonPunch(index: 0, reader: 0, time: 0, direction: .unknown),
                             count: counts[input.people.count])
        let directions = readers.map(\.direction)
        for i in table.indices where judged(i) {
            let p = Int(personOfBadge[Int(table.badge(at: i))])
            let r = readerOfTableReader[Int(table.reader(at: i))]
            flat[next[p]] = PersonPunch(index: Int32(i), reader: r, time: table.time(at: i),
                                        direction: PunchBook.direction(directions[Int(r)], state: table.state(at: i)))
            next[p] += 1
        }
        starts = counts
        for p in 0..<input.people.count where counts[p + 1] - counts[p] > 1 {
            flat[counts[p]..<counts[p + 1]].sort { $0.time != $1.time ? $0.time < $1.time : $0.index < $1.index }
        }
    }

    /// Person `p`'s punches (index into `people`), sorted by time, not yet debounced.
    func punches(of p: Int) -> ArraySlice<PersonPunch> { flat[starts[p]..<starts[p + 1]] }

    /// The direction of a punch: the reader's configuration first, then the state where trusted.
    static func direction(_ configured: ReaderConfig.Direction, state: Int16?) -> PunchDirection {
        switch configured {
        case .entrance: return .entrance
        case .exit: return .exit
        case .unknown: return .unknown
        case .state:
            switch state {
            case 0, 3, 4: return .entrance
            case 1, 2, 5: return .exit
            default: return .unknown
            }
        }
    }

    /// Whether reader `r` recorded a punch on `firstDay + dayOffset`.
    func readerPunched(_ r: Int32, dayOffset: Int) -> Bool { readerDays[Int(r)][dayOffset] }

    /// Whether any reader recorded a punch on `date` (dates outside the tracked range count as punched).
    func anyPunch(on date: CivilDate) -> Bool {
        let i = date.dayNumber - firstDay
        return i < 0 || i >= punchedDay.count || punchedDay[i]
    }

    /// The earliest watermark over every reader seen or configured; nil when one never reported.
    var siteWatermark: Int64? {
        var low: Int64? = nil
        for r in readers {
            guard let w = r.watermark else { return nil }
            low = min(low ?? w, w)
        }
        return low
    }
}
