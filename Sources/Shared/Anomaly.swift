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
        case expectedStart = "expected_start", expectedEnd = "expected_end"
        case awayFrom = "away_from", awayTo = "away_to", evidence
    }
}
