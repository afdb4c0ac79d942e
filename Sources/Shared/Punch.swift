/// Where a record came from: an input file (by index into the run's file table) and a 1-based line.
public struct SourceRef: Hashable, Sendable {
    public var file: Int32
    public var line: Int32
    public init(file: Int32, line: Int32) {
        self.file = file
        self.line = line
    }
}

/// One badge swipe as read from a reader export.
///
/// Kept small: millions of these are held at once.
public struct Punch: Hashable, Sendable {
    /// The badge number (PIN) as punched, leading spaces and apostrophes removed.
    public var badge: String
    public var time: LocalDateTime
    /// The reader id: the N of `N_attlog.dat`, the device column or the ADMS SN.
    public var reader: String
    /// The device's in/out state as recorded (0 in, 1 out, 2 break-out, 3 break-in, 4 overtime-in,
    /// 5 overtime-out, 255 none), nil when the format has none.
    public var state: Int16?
    public var source: SourceRef

    public init(badge: String, time: LocalDateTime, reader: String, state: Int16?, source: SourceRef) {
        self.badge = badge
        self.time = time
        self.reader = reader
        self.state = state
        self.source = source
    }
}

/// The direction of a punch, once reader configuration and trust in states are applied.
public enum PunchDirection: String, Sendable, Codable {
    case entrance = "in"
    case exit = "out"
    case unknown
}
