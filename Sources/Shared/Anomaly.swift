/// The kinds of anomaly; the raw values are part of the contract with HR tools and the collector.
public enum AnomalyKind: String, Sendable, Codable, CaseIterable, Comparable {
    case late
    case earlyLeave = "early_leave"
    case absent
    case missingIn = "missing_in"
    case missingOut = "missing_out"
    case offPost = "off_post"

    public static func < (a: AnomalyKind, b: AnomalyKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How grave an anomaly is.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case minor
    case serious
    case critical

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One punch an anomaly was derived from.
public struct Evidence: Hashable, Sendable, Codable {
    /// The badge file, as named relative to the config file.
    public var file: String
    public var line: Int
    public var time: LocalDateTime
    public var reader: String
    /// The direction the rules took for it.
    public var direction: PunchDirection?

    public init(file: String, line: Int, time: LocalDateTime, reader: String, direction: PunchDirection? = nil) {
        self.file = file
        self.line = line
        self.time = time
        self.reader = reader
        self.direction = direction
    }
}

/// An anomaly charged (or excused) to one person on one shift instance.
public struct Anomaly: Hashable, Sendable, Codable {
    /// Stable id: a hash of site, person, date, shift, kind and the instance's start.
    public var id: String
    public var person: String
    public var name: String
    public var unit: UnitPath
    /// The business date (the date the shift starts).
    public var date: CivilDate
    /// The shift's code (the contract's `shift`).
    public var shift: String
    /// The shift's name (`name = "夜间值班"`), shown instead of the code; absent when the config
    /// gives none (and in summaries of agents older than the key).
    public var shiftName: String?
    /// Whether the shift is a duty (值班) shift.
    public var duty: Bool
    public var kind: AnomalyKind
    public var minutes: Int
    public var severity: Severity
    public var excused: Bool
    /// An `off_post` whose return the badges do not show (an away interval that no entrance closed
    /// before the departure): reported for HR to check, never charged until a reviewer confirms it.
    /// Absent from the wire (and false) for every other anomaly, so summaries without it decode.
    public var suspected: Bool = false
    /// Why it is excused: the leave's kind, or the holiday.
    public var reason: String?
    /// The scheduled start and end the minutes were measured against (moved by partial leave).
    public var expectedStart: LocalDateTime?
    public var expectedEnd: LocalDateTime?
    /// Start and end of the away interval, for `off_post`.
    public var awayFrom: LocalDateTime?
    public var awayTo: LocalDateTime?
    public var evidence: [Evidence]

    public init(id: String, person: String, name: String, unit: UnitPath, date: CivilDate, shift: String,
                shiftName: String? = nil, duty: Bool,
                kind: AnomalyKind, minutes: Int, severity: Severity, excused: Bool, reason: String?,
                expectedStart: LocalDateTime? = nil, expectedEnd: LocalDateTime? = nil,
                awayFrom: LocalDateTime? = nil, awayTo: LocalDateTime? = nil, evidence: [Evidence]) {
        self.id = id
        self.person = person
        self.name = name
        self.unit = unit
        self.date = date
        self.shift = shift
        self.shiftName = shiftName
        self.duty = duty
        self.kind = kind
        self.minutes = minutes
        self.severity = severity
        self.excused = excused
        self.reason = reason
        self.expectedStart = expectedStart
        self.expectedEnd = expectedEnd
        self.awayFrom = awayFrom
        self.awayTo = awayTo
        self.evidence = evidence
    }

    /// What a person reads for the shift: its name, else its code.
    public var shiftLabel: String { shiftName ?? shift }

    enum CodingKeys: String, CodingKey {
        case id, person, name, unit, date, shift, shiftName = "shift_name", duty, kind, minutes, severity, excused, reason
        case suspected
        case expectedStart = "expected_start", expectedEnd = "expected_end"
        case awayFrom = "away_from", awayTo = "away_to", evidence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        person = try c.decode(String.self, forKey: .person)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decode(UnitPath.self, forKey: .unit)
        date = try c.decode(CivilDate.self, forKey: .date)
        shift = try c.decode(String.self, forKey: .shift)
        shiftName = try c.decodeIfPresent(String.self, forKey: .shiftName)
        duty = try c.decode(Bool.self, forKey: .duty)
        kind = try c.decode(AnomalyKind.self, forKey: .kind)
        minutes = try c.decode(Int.self, forKey: .minutes)
        severity = try c.decode(Severity.self, forKey: .severity)
        excused = try c.decode(Bool.self, forKey: .excused)
        suspected = try c.decodeIfPresent(Bool.self, forKey: .suspected) ?? false
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        expectedStart = try c.decodeIfPresent(LocalDateTime.self, forKey: .expectedStart)
        expectedEnd = try c.decodeIfPresent(LocalDateTime.self, forKey: .expectedEnd)
        awayFrom = try c.decodeIfPresent(LocalDateTime.self, forKey: .awayFrom)
        awayTo = try c.decodeIfPresent(LocalDateTime.self, forKey: .awayTo)
        evidence = try c.decode([Evidence].self, forKey: .evidence)
    }

    /// `suspected` is written only when true: the content (and so the digest) of a summary without
    /// suspected anomalies is what it was before the field existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(person, forKey: .person)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(date, forKey: .date)
        try c.encode(shift, forKey: .shift)
        try c.encodeIfPresent(shiftName, forKey: .shiftName)
        try c.encode(duty, forKey: .duty)
        try c.encode(kind, forKey: .kind)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(severity, forKey: .severity)
        try c.encode(excused, forKey: .excused)
        if suspected { try c.encode(true, forKey: .suspected) }
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(expectedStart, forKey: .expectedStart)
        try c.encodeIfPresent(expectedEnd, forKey: .expectedEnd)
        try c.encodeIfPresent(awayFrom, forKey: .awayFrom)
        try c.encodeIfPresent(awayTo, forKey: .awayTo)
        try c.encode(evidence, forKey: .evidence)
    }
}
