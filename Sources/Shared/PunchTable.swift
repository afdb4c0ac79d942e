/// The punches of a run, held compactly: badge and reader ids are stored once each and every punch
/// is five array slots (time, badge index, reader index, state, file and line: 28 bytes where a
/// `Punch` takes 56). A year of a 5,000-person office is about 3 million punches.
///
/// Reads as a collection of `Punch` values in the order they were appended; nothing of a punch is
/// lost (the evidence of an anomaly names each punch's file and line).
public struct PunchTable: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    /// Distinct badge numbers, in the order first appended; `badge(at:)` indexes it.
    public private(set) var badgeIDs: [String] = []
    /// Distinct reader ids, in the order first appended; `reader(at:)` indexes it.
    public private(set) var readerIDs: [String] = []
    private var badgeIndex: [String: Int32] = [:]
    private var readerIndex: [String: Int32] = [:]
    private var times: [Int64] = []
    private var badges: [Int32] = []
    private var readers: [Int32] = []
    /// The device state, or `noState` when the format has none.
    private var states: [Int32] = []
    private var sources: [SourceRef] = []
    private static let noState = Int32.min

    public init() {}

    public init<S: Sequence>(_ punches: S) where S.Element == Punch {
        reserveCapacity(punches.underestimatedCount)
        for p in punches { append(p) }
    }

    public init(arrayLiteral punches: Punch...) { self.init(punches) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { times.count }

    public subscript(i: Int) -> Punch {
        Punch(badge: badgeIDs[Int(badges[i])], time: LocalDateTime(seconds: times[i]),
              reader: readerIDs[Int(readers[i])], state: state(at: i), source: sources[i])
    }

    // The fields of punch `i` without building a `Punch` (the engine's hot path).
    public func time(at i: Int) -> Int64 { times[i] }
    /// Index into `badgeIDs`.
    public func badge(at i: Int) -> Int32 { badges[i] }
    /// Index into `readerIDs`.
    public func reader(at i: Int) -> Int32 { readers[i] }
    public func state(at i: Int) -> Int16? { states[i] == Self.noState ? nil : Int16(states[i]) }
    public func source(at i: Int) -> SourceRef { sources[i] }

    /// Moves every punch's line number by `n`: the punches of a file read from one of its later
    /// lines (an appended part) carry the file's true line numbers.
    public mutating func shiftLines(by n: Int32) {
        for i in sources.indices { sources[i].line += n }
    }

    public mutating func reserveCapacity(_ n: Int) {
        times.reserveCapacity(n)
        badges.reserveCapacity(n)
        readers.reserveCapacity(n)
        states.reserveCapacity(n)
        sources.reserveCapacity(n)
    }

    public mutating func append(_ p: Punch) {
        append(badge: p.badge, time: p.time, reader: p.reader, state: p.state, source: p.source)
    }

    public mutating func append(badge: String, time: LocalDateTime, reader: String, state: Int16?, source: SourceRef) {
        append(badgeAt: internBadge(badge), time: time, reader: reader, state: state, source: source)
    }

    /// The index of badge `id` in `badgeIDs`, added when new: a reader that knows which badges it
    /// has already met (by their bytes) appends the next punches of one with `append(badgeAt:…)`.
    public mutating func internBadge(_ id: String) -> Int32 { Self.intern(id, ids: &badgeIDs, index: &badgeIndex) }

    /// Appends a punch of the badge `badgeIDs[badge]` (an index `internBadge` gave).
    public mutating func append(badgeAt badge: Int32, time: LocalDateTime, reader: String, state: Int16?,
                                source: SourceRef) {
        precondition(badge >= 0 && Int(badge) < badgeIDs.count, "badge index out of range")
        // Exports come reader by reader or in time order with few readers: the last reader is checked
        // first, then (a handful of readers, in one time-ordered file changing at every punch) each
        // one, before the id is hashed.
        let r: Int32
        if let last = readers.last, readerIDs[Int(last)] == reader {
            r = last
        } else if readerIDs.count <= 8, let known = readerIDs.firstIndex(of: reader) {
            r = Int32(known)
        } else {
            r = Self.intern(reader, ids: &readerIDs, index: &readerIndex)
        }
        times.append(time.seconds)
        badges.append(badge)
        readers.append(r)
        states.append(state.map(Int32.init) ?? Self.noState)
        sources.append(source)
    }

    /// Appends every punch of `other`, its badge and reader ids mapped onto this table's.
    public mutating func append(contentsOf other: PunchTable) {
        if isEmpty && badgeIDs.isEmpty && readerIDs.isEmpty {
            self = other
            return
        }
        let badgeMap = other.badgeIDs.map { Self.intern($0, ids: &badgeIDs, index: &badgeIndex) }
        let readerMap = other.readerIDs.map { Self.intern($0, ids: &readerIDs, index: &readerIndex) }
        reserveCapacity(count + other.count)
        times += other.times
        badges += other.badges.lazy.map { badgeMap[Int($0)] }
        readers += other.readers.lazy.map { readerMap[Int($0)] }
        states += other.states
        sources += other.sources
    }

    public static func += (table: inout PunchTable, other: PunchTable) { table.append(contentsOf: other) }

    private static func intern(_ id: String, ids: inout [String], index: inout [String: Int32]) -> Int32 {
        if let known = index[id] { return known }
        let new = Int32(ids.count)
        index[id] = new
        ids.append(id)
        return new
    }
}

// What the agent's daemon needs to hold a growing file's recent punches without converting them
// (`BadgeJournal`): a filtered append, trimming the oldest, and the file index set at hand-over.
extension PunchTable {
    /// Appends the punches of `other` at or after `floor`, in order, their badge and reader ids
    /// mapped onto this table's (only the ids of punches kept are added).
    public mutating func append(contentsOf other: PunchTable, notBefore floor: LocalDateTime) {
        let bound = floor.seconds
        var badgeMap = [Int32](repeating: -1, count: other.badgeIDs.count)
        var readerMap = [Int32](repeating: -1, count: other.readerIDs.count)
        for i in other.times.indices where other.times[i] >= bound {
            let b = Int(other.badges[i])
            if badgeMap[b] < 0 { badgeMap[b] = Self.intern(other.badgeIDs[b], ids: &badgeIDs, index: &badgeIndex) }
            let r = Int(other.readers[i])
            if readerMap[r] < 0 { readerMap[r] = Self.intern(other.readerIDs[r], ids: &readerIDs, index: &readerIndex) }
            times.append(other.times[i])
            badges.append(badgeMap[b])
            readers.append(readerMap[r])
            states.append(other.states[i])
            sources.append(other.sources[i])
        }
    }

    /// Removes the punches before `floor`, keeping the order of the rest (the ids stay known).
    public mutating func removeAll(before floor: LocalDateTime) {
        let bound = floor.seconds
        var kept = 0
        for i in times.indices where times[i] >= bound {
            if kept != i {
                times[kept] = times[i]
                badges[kept] = badges[i]
                readers[kept] = readers[i]
                states[kept] = states[i]
                sources[kept] = sources[i]
            }
            kept += 1
        }
        let gone = times.count - kept
        guard gone > 0 else { return }
        times.removeLast(gone)
        badges.removeLast(gone)
        readers.removeLast(gone)
        states.removeLast(gone)
        sources.removeLast(gone)
    }

    /// Sets every punch's file (`SourceRef.file`) to `file`: punches held per file are handed to
    /// the rules with the file's index in the run's file table.
    public mutating func setFile(_ file: Int32) {
        for i in sources.indices { sources[i].file = file }
    }
}
