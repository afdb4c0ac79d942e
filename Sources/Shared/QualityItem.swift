/// Kinds of data-quality item: problems with the data, not anomalies of a person.
public enum QualityKind: String, Sendable, Codable, CaseIterable {
    case badLine = "bad_line"
    case unknownBadge = "unknown_badge"
    case readerSilent = "reader_silent"
    case clockSkew = "clock_skew"
}

/// A data-quality item with what a person needs to act on it.
public struct QualityItem: Hashable, Sendable, Codable {
    public var kind: QualityKind
    public var file: String?
    public var line: Int?
    public var date: CivilDate?
    public var badge: String?
    public var reader: String?
    /// The field (column, key) of a bad line that could not be read, as the file names it.
    public var field: String?
    /// How many records this item stands for (an unknown badge's punches, unverified instances).
    public var count: Int?
    /// The people an item concerns, as `name (id)`: those a silent reader left unverified. Absent
    /// from the JSON when none, so items without it encode as before.
    public var people: [String]? = nil
    /// A reader outage's interval (`reader_silent` of a device that stopped calling), as
    /// `ReaderOutage.interval` writes it. Absent from the JSON when not one.
    public var interval: String? = nil
    /// A device clock's drift from the agent's, in seconds (positive: the device runs ahead), for a
    /// `clock_skew` item of a reader that pushes in real time. Absent from the JSON when not one.
    public var driftSeconds: Int? = nil
    /// A sentence a person can act on, in English (the JSON's and the log's); an output in Chinese
    /// prints `Vocabulary.message(_:)` instead.
    public var message: String

    /// The JSON's keys: snake_case like every JSON of both programs.
    enum CodingKeys: String, CodingKey {
        case kind, file, line, date, badge, reader, field, count, people, interval, message
        case driftSeconds = "drift_seconds"
    }

    public init(kind: QualityKind, file: String? = nil, line: Int? = nil, date: CivilDate? = nil, badge: String? = nil,
                reader: String? = nil, field: String? = nil, count: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.date = date
        self.badge = badge
        self.reader = reader
        self.field = field
        self.count = count
        self.message = message
    }
}

extension QualityItem {
    /// The `unknown_badge` item of `badge`, punched `count` times, the first being `first` (of `file`).
    public static func unknownBadge(_ badge: String, count: Int, first: Punch, file: String) -> QualityItem {
        let times = count == 1 ? "once" : "\(count) times"
        return QualityItem(kind: .unknownBadge, file: file, line: Int(first.source.line), date: first.time.date,
                           badge: badge, reader: first.reader, count: count,
                           message: "Badge \(badge) punched \(times) (first at \(file):\(first.source.line), reader \(first.reader)) "
                               + "but is on no row of the people list; add it to the person who carries it "
                               + "(column badge), or ignore it if it is a visitor or test card.")
    }
}
