/// What became of every shift instance of a rule run, held compactly: person ids, units and shift
/// codes are stored once each, and an outcome is one 16-byte row of indices, day number and flags
/// (an `InstanceOutcome` takes 56 bytes: two strings and a unit path). A year of a 5,000-person
/// office is about 1.2 million outcomes: 19 MB where `[InstanceOutcome]` took 67 MB.
///
/// Reads (and writes) as a collection of `InstanceOutcome` values in the order they were appended;
/// nothing of an outcome is lost.
public struct InstanceOutcomes: RandomAccessCollection, MutableCollection, ExpressibleByArrayLiteral,
    Equatable, Sendable {
    /// One outcome: indices into the tables below, the business date's day number, duty and status.
    private struct Row: Sendable {
        var day: Int32
        var person: Int32
        var unit: Int32
        var shift: UInt16
        /// Bit 7: a duty shift; bits 0-2: the status (`Self.statuses`).
        var flags: UInt8
    }

    /// Distinct person ids, units and shift codes, in the order first appended.
    public private(set) var personIDs: [String] = []
    public private(set) var units: [UnitPath] = []
    public private(set) var shiftCodes: [String] = []
    private var personIndex: [String: Int32] = [:]
    private var unitIndex: [UnitPath: Int32] = [:]
    private var shiftIndex: [String: Int32] = [:]
    private var rows: [Row] = []

    private static let statuses: [InstanceOutcome.Status] = [.present, .absent, .excused, .pending, .unverified]
    private static let dutyFlag: UInt8 = 0x80

    public init() {}

    public init<S: Sequence>(_ outcomes: S) where S.Element == InstanceOutcome {
        reserveCapacity(outcomes.underestimatedCount)
        for o in outcomes { append(o) }
    }

    public init(arrayLiteral outcomes: InstanceOutcome...) { self.init(outcomes) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    public subscript(i: Int) -> InstanceOutcome {
        get {
            let r = rows[i]
            return InstanceOutcome(person: personIDs[Int(r.person)], unit: units[Int(r.unit)],
                                   date: CivilDate(dayNumber: Int(r.day)), shift: shiftCodes[Int(r.shift)],
                                   duty: r.flags & Self.dutyFlag != 0, status: Self.statuses[Int(r.flags & 7)])
        }
        set { rows[i] = row(newValue) }
    }

    // Fields of outcome `i` without building an `InstanceOutcome` (for counting a million of them).
    public func status(at i: Int) -> InstanceOutcome.Status { Self.statuses[Int(rows[i].flags & 7)] }
    public func date(at i: Int) -> CivilDate { CivilDate(dayNumber: Int(rows[i].day)) }
    /// Index into `units`: outcomes of one unit share it.
    public func unitIndex(at i: Int) -> Int { Int(rows[i].unit) }

    public mutating func reserveCapacity(_ n: Int) { rows.reserveCapacity(n) }

    public mutating func append(_ o: InstanceOutcome) {
        rows.append(row(o))
    }

    public static func == (a: InstanceOutcomes, b: InstanceOutcomes) -> Bool { a.elementsEqual(b) }

    private mutating func row(_ o: InstanceOutcome) -> Row {
        // Outcomes come person by person, one unit at a time: the last row's values are checked first.
        let last = rows.last
        let person = last.flatMap { personIDs[Int($0.person)] == o.person ? $0.person : nil }
            ?? Self.intern(o.person, ids: &personIDs, index: &personIndex)
        let unit = last.flatMap { units[Int($0.unit)] == o.unit ? $0.unit : nil }
            ?? Self.intern(o.unit, ids: &units, index: &unitIndex)
        let shift = last.flatMap { shiftCodes[Int($0.shift)] == o.shift ? Int32($0.shift) : nil }
            ?? Self.intern(o.shift, ids: &shiftCodes, index: &shiftIndex)
        precondition(shift <= UInt16.max, "more than 65,536 shift codes")
        let status = UInt8(Self.statuses.firstIndex(of: o.status)!)
        return Row(day: Int32(o.date.dayNumber), person: person, unit: unit, shift: UInt16(shift),
                   flags: (o.duty ? Self.dutyFlag : 0) | status)
    }

    private static func intern<T: Hashable>(_ value: T, ids: inout [T], index: inout [T: Int32]) -> Int32 {
        if let known = index[value] { return known }
        let new = Int32(ids.count)
        index[value] = new
        ids.append(value)
        return new
    }
}
