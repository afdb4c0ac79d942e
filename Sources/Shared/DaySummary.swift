import Crypto
import Foundation

/// Counts and minutes of one anomaly kind.
public struct KindFigures: Hashable, Sendable, Codable {
    public var count: Int
    public var minutes: Int
    public init(count: Int = 0, minutes: Int = 0) {
        self.count = count
        self.minutes = minutes
    }
}

/// One unit's figures for one business date, for the people directly in that unit
/// (the collector rolls them up the unit tree).
public struct UnitDayFigures: Hashable, Sendable, Codable {
    public var unit: UnitPath
    /// Scheduled person-shifts, excused and unverified ones included.
    public var scheduled: Int
    /// Instances judged with the person present.
    public var present: Int
    /// Instances excused by whole-day leave.
    public var excused: Int
    /// Instances not judged (reader outage or data not yet complete).
    public var unverified: Int
    /// Charged (not excused) anomalies by kind.
    public var kinds: [AnomalyKind: KindFigures]

    public init(unit: UnitPath, scheduled: Int = 0, present: Int = 0, excused: Int = 0, unverified: Int = 0,
                kinds: [AnomalyKind: KindFigures] = [:]) {
        self.unit = unit
        self.scheduled = scheduled
        self.present = present
        self.excused = excused
        self.unverified = unverified
        self.kinds = kinds
    }

    enum CodingKeys: String, CodingKey { case unit, scheduled, present, excused, unverified, kinds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(UnitPath.self, forKey: .unit)
        scheduled = try c.decode(Int.self, forKey: .scheduled)
        present = try c.decode(Int.self, forKey: .present)
        excused = try c.decodeIfPresent(Int.self, forKey: .excused) ?? 0
        unverified = try c.decodeIfPresent(Int.self, forKey: .unverified) ?? 0
        let raw = try c.decode([String: KindFigures].self, forKey: .kinds)
        var kinds: [AnomalyKind: KindFigures] = [:]
        for (k, v) in raw {
            guard let kind = AnomalyKind(rawValue: k) else {
                throw DecodingError.dataCorruptedError(forKey: .kinds, in: c, debugDescription: "unknown anomaly kind \(k)")
            }
            kinds[kind] = v
        }
        self.kinds = kinds
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try c.encode(scheduled, forKey: .scheduled)
        try c.encode(present, forKey: .present)
        try c.encode(excused, forKey: .excused)
        try c.encode(unverified, forKey: .unverified)
        try c.encode(Dictionary(uniqueKeysWithValues: kinds.map { ($0.key.rawValue, $0.value) }), forKey: .kinds)
    }
}

/// Every punch of one person's day, for the anomaly page's timeline (wire schema 3).
///
/// The punches of the person whose time falls in a window of one of their shift instances of the
/// date, in time order then file and line; at most `DaySummary.dayPunchLimit`, `omitted` says how
/// many more there were.
public struct PersonDayPunches: Hashable, Sendable, Codable {
    public var person: String
    public var punches: [Evidence]
    /// Punches of the person-day left out beyond the bound; 0 normally.
    public var omitted: Int

    public init(person: String, punches: [Evidence], omitted: Int = 0) {
        self.person = person
        self.punches = punches
        self.omitted = omitted
    }
}

/// What an agent sends for one business date (wire format version 1, 2 or 3).
///
/// Version 2 adds `suspected` to an anomaly. A summary holding no suspected anomaly is written as
/// version 1, byte for byte what it was, so a collector that reads only version 1 still takes it;
/// one holding a suspected anomaly is version 2, which such a collector refuses (the agent keeps it
/// aside and says so) rather than count a suspicion as a charge.
/// Version 3 adds `day_punches`: every punch of the day of each person with an anomaly. It is
/// written only when there are some; otherwise the summary is what it was (version 2 or 1). An
/// agent whose collector refuses version 3 sends the same revision without them
/// (`withoutDayPunches()`).
/// The latest revision per (agent, date) wins at the collector; `digest` covers the content
/// (everything but `revision`, `generated_at` and `digest` itself) so a repeat can be recognised.
public struct DaySummary: Hashable, Sendable, Codable {
    public static let currentSchema = 3
    /// The versions a collector reads.
    public static let supportedSchemas = 1...3
    /// The most punches one person-day carries in `dayPunches`; the rest are counted in `omitted`.
    public static let dayPunchLimit = 200

    public var schema: Int
    /// The agent's id at the collector (`site.id`).
    public var agent: String
    /// The site's display name; the agent id when none is configured.
    public var site: String
    public var date: CivilDate
    public var revision: Int
    /// When the agent built this revision (UTC, ISO 8601).
    public var generatedAt: Date
    /// Hex SHA-256 of the content.
    public var digest: String
    public var units: [UnitDayFigures]
    public var anomalies: [Anomaly]
    public var quality: [QualityItem]
    /// Every punch of the day of each person with an anomaly, sorted by person (schema 3); empty
    /// when the agent sent none, and then absent from the wire.
    public var dayPunches: [PersonDayPunches]

    public init(agent: String, site: String, date: CivilDate, revision: Int, generatedAt: Date,
                units: [UnitDayFigures], anomalies: [Anomaly], quality: [QualityItem],
                dayPunches: [PersonDayPunches] = []) {
        self.schema = DaySummary.schema(anomalies: anomalies, dayPunches: dayPunches)
        self.agent = agent
        self.site = site
        self.date = date
        self.revision = revision
        self.generatedAt = generatedAt
        self.units = units.sorted { $0.unit < $1.unit }
        self.anomalies = anomalies
        self.quality = quality
        self.dayPunches = dayPunches.sorted { $0.person < $1.person }
        self.digest = ""
        self.digest = contentDigest()
    }

    /// The lowest version that carries this content: 3 with day punches, 2 with a suspicion, else 1.
    static func schema(anomalies: [Anomaly], dayPunches: [PersonDayPunches]) -> Int {
        if !dayPunches.isEmpty { return 3 }
        return anomalies.contains(where: \.suspected) ? 2 : 1
    }

    /// The same revision without `day_punches`, for a collector that reads only versions 1 and 2:
    /// its own schema and digest, everything else unchanged.
    public func withoutDayPunches() -> DaySummary {
        guard !dayPunches.isEmpty else { return self }
        var copy = self
        copy.dayPunches = []
        copy.schema = DaySummary.schema(anomalies: anomalies, dayPunches: [])
        copy.digest = copy.contentDigest()
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case schema, agent, site, date, revision, generatedAt = "generated_at", digest, units, anomalies, quality
        case dayPunches = "day_punches"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(Int.self, forKey: .schema)
        agent = try c.decode(String.self, forKey: .agent)
        site = try c.decode(String.self, forKey: .site)
        date = try c.decode(CivilDate.self, forKey: .date)
        revision = try c.decode(Int.self, forKey: .revision)
        generatedAt = try c.decode(Date.self, forKey: .generatedAt)
        digest = try c.decode(String.self, forKey: .digest)
        units = try c.decode([UnitDayFigures].self, forKey: .units)
        anomalies = try c.decode([Anomaly].self, forKey: .anomalies)
        quality = try c.decode([QualityItem].self, forKey: .quality)
        dayPunches = try c.decodeIfPresent([PersonDayPunches].self, forKey: .dayPunches) ?? []
    }

    /// `day_punches` is written only when non-empty, so a summary without them is byte for byte
    /// what versions 1 and 2 wrote.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(agent, forKey: .agent)
        try c.encode(site, forKey: .site)
        try c.encode(date, forKey: .date)
        try c.encode(revision, forKey: .revision)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(digest, forKey: .digest)
        try c.encode(units, forKey: .units)
        try c.encode(anomalies, forKey: .anomalies)
        try c.encode(quality, forKey: .quality)
        if !dayPunches.isEmpty { try c.encode(dayPunches, forKey: .dayPunches) }
    }

    /// Hex SHA-256 over the canonical JSON of the content fields (`day_punches` only when present,
    /// so a digest without them is what versions 1 and 2 computed).
    public func contentDigest() -> String {
        struct Content: Encodable {
            var schema: Int, agent: String, site: String, date: CivilDate
            var units: [UnitDayFigures], anomalies: [Anomaly], quality: [QualityItem]
            var dayPunches: [PersonDayPunches]?
            enum CodingKeys: String, CodingKey {
                case schema, agent, site, date, units, anomalies, quality
                case dayPunches = "day_punches"
            }
        }
        let content = Content(schema: schema, agent: agent, site: site, date: date, units: units,
                              anomalies: anomalies, quality: quality,
                              dayPunches: dayPunches.isEmpty ? nil : dayPunches)
        let data = (try? DaySummary.canonicalEncoder.encode(content)) ?? Data()
        return Hex.encode(SHA256.hash(data: data))
    }

    /// Sorted keys, ISO 8601 dates: the encoding used on the wire and for digests.
    public static var canonicalEncoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// The decoder matching `canonicalEncoder`.
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

/// Stable identifiers for anomalies.
public enum StableID {
    /// A hash of site, person, date, shift, kind and the instance's scheduled start: the same
    /// anomaly gets the same id in every revision, so review decisions stick to it.
    /// A suspected anomaly has an id of its own (the key ends in `suspected`), so it never takes
    /// over the review decision of the charged `off_post` of the same instance.
    public static func anomaly(site: String, person: String, date: CivilDate, shift: String, kind: AnomalyKind,
                               start: LocalDateTime, suspected: Bool = false) -> String {
        var key = "\(site)\u{1F}\(person)\u{1F}\(date)\u{1F}\(shift)\u{1F}\(kind.rawValue)\u{1F}\(start)"
        if suspected { key += "\u{1F}suspected" }
        return Hex.encode(SHA256.hash(data: Data(key.utf8)).prefix(12))
    }
}

/// Lower-case hex without `String(format:)`, which costs microseconds a byte on Linux.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
