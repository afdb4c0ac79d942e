import Foundation
import Shared

/// An anomaly's (and the unit figures') canonical JSON (sorted keys, no whitespace, slashes unescaped: what
/// `DaySummary.canonicalEncoder` writes), written straight into bytes.
///
/// `JSONEncoder` took about a tenth of the collector's CPU per stored summary, most of it on the
/// anomalies (each is stored as JSON and is a piece of the summary's body). The bytes must be
/// exactly the encoder's, since the summary's digest is computed over them: text with a control
/// character (below U+0020, U+007F) or U+2028/U+2029 is left to `JSONEncoder`, and the tests
/// compare both writers on every fixture and on awkward text.
enum CanonicalAnomalyJSON {
    /// The anomaly's canonical JSON, or nil when some text in it is left to `JSONEncoder`.
    static func bytes(_ a: Anomaly) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(512 + 160 * a.evidence.count)
        var plain = true
        func key(_ k: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ s: String) { plain = plain && Self.append(s, to: &out) }
        func number(_ n: Int) { out.append(contentsOf: String(n).utf8) }
        func bool(_ b: Bool) { out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8)) }
        func time(_ t: LocalDateTime) { string(t.jsonText) }

        out.append(UInt8(ascii: "{"))
        var first = true
        if let v = a.awayFrom { key("away_from", first: first); first = false; time(v) }
        if let v = a.awayTo { key("away_to", first: first); first = false; time(v) }
        key("date", first: first); string(a.date.description)
        key("duty"); bool(a.duty)
        key("evidence")
        out.append(UInt8(ascii: "["))
        for (i, e) in a.evidence.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            plain = Self.append(e, to: &out) && plain
        }
        out.append(UInt8(ascii: "]"))
        key("excused"); bool(a.excused)
        if let v = a.expectedEnd { key("expected_end"); time(v) }
        if let v = a.expectedStart { key("expected_start"); time(v) }
        key("id"); string(a.id)
        key("kind"); string(a.kind.rawValue)
        key("minutes"); number(a.minutes)
        key("name"); string(a.name)
        key("person"); string(a.person)
        if let v = a.reason { key("reason"); string(v) }
        key("severity"); string(a.severity.rawValue)
        key("shift"); string(a.shift)
        if let v = a.shiftName { key("shift_name"); string(v) }
        if a.suspected { key("suspected"); bool(true) }
        key("unit"); string(a.unit.description)
        out.append(UInt8(ascii: "}"))
        return plain ? out : nil
    }

    /// One person's day punches (wire schema 3) as canonical JSON, or nil when some text in them is
    /// left to `JSONEncoder`. With a few punches a person, this was a `JSONEncoder` call per person
    /// with an anomaly on every stored summary.
    static func bytes(_ day: PersonDayPunches) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(48 + 128 * day.punches.count)
        out.append(contentsOf: #"{"omitted":"#.utf8)
        out.append(contentsOf: String(day.omitted).utf8)
        out.append(contentsOf: #","person":"#.utf8)
        var plain = append(day.person, to: &out)
        out.append(contentsOf: #","punches":["#.utf8)
        for (i, e) in day.punches.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            plain = append(e, to: &out) && plain
        }
        out.append(contentsOf: "]}".utf8)
        return plain ? out : nil
    }

    /// The data-quality list's canonical JSON (an array), or nil when some text in it is left to
    /// `JSONEncoder`. Absent optional fields are left out, as the encoder leaves them.
    static func bytes(_ items: [QualityItem]) -> [UInt8]? {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(160 * items.count)
        var plain = true
        for (i, q) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var first = true
            func key(_ k: StaticString) {
                out.append(contentsOf: first ? [UInt8(ascii: "{"), UInt8(ascii: "\"")] : [UInt8(ascii: ","), UInt8(ascii: "\"")])
                first = false
                k.withUTF8Buffer { out.append(contentsOf: $0) }
                out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            }
            func string(_ s: String) { plain = append(s, to: &out) && plain }
            func number(_ n: Int) { out.append(contentsOf: String(n).utf8) }
            // In the order of the keys' names, as the sorted-keys encoder writes them.
            if let v = q.badge { key("badge"); string(v) }
            if let v = q.count { key("count"); number(v) }
            if let v = q.date { key("date"); string(v.description) }
            if let v = q.driftSeconds { key("drift_seconds"); number(v) }
            if let v = q.field { key("field"); string(v) }
            if let v = q.file { key("file"); string(v) }
            if let v = q.interval { key("interval"); string(v) }
            key("kind"); string(q.kind.rawValue)
            if let v = q.line { key("line"); number(v) }
            key("message"); string(q.message)
            if let v = q.people {
                key("people")
                out.append(UInt8(ascii: "["))
                for (j, person) in v.enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    string(person)
                }
                out.append(UInt8(ascii: "]"))
            }
            if let v = q.reader { key("reader"); string(v) }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return plain ? out : nil
    }

    /// Appends one punch (`Evidence`) as its canonical JSON object; false when some text in it is
    /// left to `JSONEncoder`.
    private static func append(_ e: Evidence, to out: inout [UInt8]) -> Bool {
        var plain = true
        if let d = e.direction {
            out.append(contentsOf: #"{"direction":"#.utf8)
            plain = append(d.rawValue, to: &out) && plain
            out.append(contentsOf: #","file":"#.utf8)
        } else {
            out.append(contentsOf: #"{"file":"#.utf8)
        }
        plain = append(e.file, to: &out) && plain
        out.append(contentsOf: #","line":"#.utf8)
        out.append(contentsOf: String(e.line).utf8)
        out.append(contentsOf: #","reader":"#.utf8)
        plain = append(e.reader, to: &out) && plain
        out.append(contentsOf: #","time":"#.utf8)
        plain = append(e.time.jsonText, to: &out) && plain
        out.append(UInt8(ascii: "}"))
        return plain
    }

    /// The unit figures' canonical JSON (an array), or nil when a unit's text is left to `JSONEncoder`.
    static func bytes(_ units: [UnitDayFigures]) -> [UInt8]? {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(160 * units.count)
        for (i, u) in units.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"excused":"#.utf8)
            out.append(contentsOf: String(u.excused).utf8)
            out.append(contentsOf: #","kinds":{"#.utf8)
            // Kinds in the order of their names (`AnomalyKind.allCases` is not).
            for (j, kind) in u.kinds.keys.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
                let f = u.kinds[kind]!
                if j > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "\"\(kind.rawValue)\":{\"count\":\(f.count),\"minutes\":\(f.minutes)}".utf8)
            }
            out.append(contentsOf: #"},"present":"#.utf8)
            out.append(contentsOf: String(u.present).utf8)
            out.append(contentsOf: #","scheduled":"#.utf8)
            out.append(contentsOf: String(u.scheduled).utf8)
            out.append(contentsOf: #","unit":"#.utf8)
            guard append(u.unit.description, to: &out) else { return nil }
            out.append(contentsOf: #","unverified":"#.utf8)
            out.append(contentsOf: String(u.unverified).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// `s` as a JSON string, or nil when it holds a character whose escaping is left to `JSONEncoder`.
    static func string(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        return append(s, to: &out) ? out : nil
    }

    /// A time as the canonical encoder's `.iso8601` writes it (`"2026-11-02T08:30:00Z"`), for whole
    /// seconds from 1970 to 9999; nil otherwise (left to `JSONEncoder`).
    static func instant(_ date: Date) -> [UInt8]? {
        let t = date.timeIntervalSince1970
        guard t >= 0, t < 253_402_300_800, t.rounded(.towardZero) == t else { return nil }
        var out = Array("\"\(LocalDateTime(seconds: Int64(t)))Z\"".utf8)  // "yyyy-MM-dd HH:mm:ssZ"
        out[11] = UInt8(ascii: "T")
        return out
    }

    /// Appends `s` as a JSON string (`"` and `\` escaped); false when it holds a character whose
    /// escaping is left to `JSONEncoder`.
    private static func append(_ s: String, to out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "\""))
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in s.utf8 {
            switch byte {
            case 0x00..<0x20, 0x7F: return false
            case 0xA8...0xA9 where previous == (0xE2, 0x80): return false  // U+2028, U+2029
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            default: out.append(byte)
            }
            previous = (previous.1, byte)
        }
        out.append(UInt8(ascii: "\""))
        return true
    }
}
