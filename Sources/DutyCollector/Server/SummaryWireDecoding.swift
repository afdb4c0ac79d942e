import Foundation
import Shared

/// Reads a day summary of the known wire shape straight from the body's bytes: what
/// `JSONDecoder` gives for it, several times faster (it was the largest single item of the
/// collector's CPU per stored summary).
///
/// It reads only what it fully understands and returns nil for anything else: a key it does not
/// know (a newer wire field is never dropped: `JSONDecoder` reads it or names it), a key twice, a
/// missing or mistyped field, a number that is not a plain integer, a time not written as
/// `yyyy-MM-ddTHH:mm:ssZ`, any malformed JSON. `SummaryDecoding` then decodes the body with
/// `JSONDecoder`, so every refusal still gets its 400 naming the field. The tests and the fuzzer
/// (`scripts/fuzz.sh summary`) check that whatever it returns equals `JSONDecoder`'s result.
///
/// A new wire field is one more `case` in the `switch` of its type (and its value read with the
/// reader's `string`, `int`, `bool`, `array` and `object`); an optional field returns before the
/// count of required keys, as wire schema 3's `day_punches` does.
enum SummaryWireDecoding {
    typealias Refused = JSONByteReader.Refused

    /// The summary, or nil when `JSONDecoder` must decide.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> DaySummary? {
        var reader = JSONByteReader(bytes)
        guard let summary = try? summary(&reader), reader.atEnd() else { return nil }
        return summary
    }

    /// Every field of a summary is required.
    private static let blank = DaySummary(
        agent: "", site: "", date: CivilDate(dayNumber: 0), revision: 0, generatedAt: Date(timeIntervalSince1970: 0),
        units: [], anomalies: [], quality: [])

    private static func summary(_ r: inout JSONByteReader) throws(Refused) -> DaySummary {
        var s = blank
        var seen = 0
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "schema": s.schema = try r.int()
            case "agent": s.agent = try r.string()
            case "site": s.site = try r.string()
            case "date": s.date = try date(&r)
            case "revision": s.revision = try r.int()
            case "generated_at": s.generatedAt = try instant(&r)
            case "digest": s.digest = try r.string()
            case "units": s.units = try list(&r, unit)
            case "anomalies": s.anomalies = try list(&r, anomaly)
            case "quality": s.quality = try list(&r, quality)
            case "day_punches":
                s.dayPunches = try optional(&r) { (r) throws(Refused) in try list(&r, personDayPunches) } ?? []
                return  // optional: not one of the ten required keys
            default: throw Refused()
            }
            seen += 1  // the reader refuses a key twice, so ten keys are the ten required fields
        }
        guard seen == 10 else { throw Refused() }
        return s
    }

    private static func unit(_ r: inout JSONByteReader) throws(Refused) -> UnitDayFigures {
        var unit: UnitPath?, scheduled: Int?, present: Int?, kinds: [AnomalyKind: KindFigures]?
        var excused = 0, unverified = 0
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "unit": unit = UnitPath(try r.string())
            case "scheduled": scheduled = try r.int()
            case "present": present = try r.int()
            case "excused": excused = try optional(&r) { (r) throws(Refused) in try r.int() } ?? 0
            case "unverified": unverified = try optional(&r) { (r) throws(Refused) in try r.int() } ?? 0
            case "kinds": kinds = try kindFigures(&r)
            default: throw Refused()
            }
        }
        guard let unit, let scheduled, let present, let kinds else { throw Refused() }
        return UnitDayFigures(unit: unit, scheduled: scheduled, present: present, excused: excused,
                              unverified: unverified, kinds: kinds)
    }

    private static func kindFigures(_ r: inout JSONByteReader) throws(Refused) -> [AnomalyKind: KindFigures] {
        var kinds: [AnomalyKind: KindFigures] = [:]
        try r.object { (r, key) throws(Refused) in
            guard let kind = AnomalyKind(rawValue: key) else { throw Refused() }
            var count: Int?, minutes: Int?
            try r.object { (r, key) throws(Refused) in
                switch key {
                case "count": count = try r.int()
                case "minutes": minutes = try r.int()
                default: throw Refused()
                }
            }
            guard let count, let minutes else { throw Refused() }
            kinds[kind] = KindFigures(count: count, minutes: minutes)
        }
        return kinds
    }

    private static func anomaly(_ r: inout JSONByteReader) throws(Refused) -> Anomaly {
        var id: String?, person: String?, name: String?, unit: UnitPath?, date: CivilDate?, shift: String?
        var duty: Bool?, kind: AnomalyKind?, minutes: Int?, severity: Severity?, excused: Bool?
        var evidence: [Evidence]?
        var shiftName: String?, reason: String?, suspected = false
        var expectedStart: LocalDateTime?, expectedEnd: LocalDateTime?, awayFrom: LocalDateTime?, awayTo: LocalDateTime?
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "id": id = try r.string()
            case "person": person = try r.string()
            case "name": name = try r.string()
            case "unit": unit = UnitPath(try r.string())
            case "date": date = try Self.date(&r)
            case "shift": shift = try r.string()
            case "shift_name": shiftName = try optional(&r) { (r) throws(Refused) in try r.string() }
            case "duty": duty = try r.bool()
            case "kind": kind = try known(&r, AnomalyKind.self)
            case "minutes": minutes = try r.int()
            case "severity": severity = try known(&r, Severity.self)
            case "excused": excused = try r.bool()
            case "suspected": suspected = try optional(&r) { (r) throws(Refused) in try r.bool() } ?? false
            case "reason": reason = try optional(&r) { (r) throws(Refused) in try r.string() }
            case "expected_start": expectedStart = try optional(&r, localTime)
            case "expected_end": expectedEnd = try optional(&r, localTime)
            case "away_from": awayFrom = try optional(&r, localTime)
            case "away_to": awayTo = try optional(&r, localTime)
            case "evidence": evidence = try list(&r, Self.evidence)
            default: throw Refused()
            }
        }
        guard let id, let person, let name, let unit, let date, let shift, let duty, let kind, let minutes, let severity,
              let excused, let evidence
        else { throw Refused() }
        var a = Anomaly(id: id, person: person, name: name, unit: unit, date: date, shift: shift, shiftName: shiftName,
                        duty: duty, kind: kind, minutes: minutes, severity: severity, excused: excused, reason: reason,
                        expectedStart: expectedStart, expectedEnd: expectedEnd, awayFrom: awayFrom, awayTo: awayTo,
                        evidence: evidence)
        a.suspected = suspected
        return a
    }

    private static func evidence(_ r: inout JSONByteReader) throws(Refused) -> Evidence {
        var file: String?, line: Int?, time: LocalDateTime?, reader: String?, direction: PunchDirection?
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "file": file = try r.string()
            case "line": line = try r.int()
            case "time": time = try localTime(&r)
            case "reader": reader = try r.string()
            case "direction":
                direction = try optional(&r) { (r) throws(Refused) in try known(&r, PunchDirection.self) }
            default: throw Refused()
            }
        }
        guard let file, let line, let time, let reader else { throw Refused() }
        return Evidence(file: file, line: line, time: time, reader: reader, direction: direction)
    }

    private static func personDayPunches(_ r: inout JSONByteReader) throws(Refused) -> PersonDayPunches {
        var person: String?, punches: [Evidence]?, omitted: Int?
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "person": person = try r.string()
            case "punches": punches = try list(&r, evidence)
            case "omitted": omitted = try r.int()
            default: throw Refused()
            }
        }
        guard let person, let punches, let omitted else { throw Refused() }
        return PersonDayPunches(person: person, punches: punches, omitted: omitted)
    }

    private static func quality(_ r: inout JSONByteReader) throws(Refused) -> QualityItem {
        var kind: QualityKind?, message: String?
        var file: String?, line: Int?, date: CivilDate?, badge: String?, reader: String?, field: String?, count: Int?
        var people: [String]?, interval: String?, driftSeconds: Int?
        let text = { (r: inout JSONByteReader) throws(Refused) in try r.string() }
        let number = { (r: inout JSONByteReader) throws(Refused) in try r.int() }
        try r.object { (r, key) throws(Refused) in
            switch key {
            case "kind": kind = try known(&r, QualityKind.self)
            case "message": message = try r.string()
            case "file": file = try optional(&r, text)
            case "line": line = try optional(&r, number)
            case "date": date = try optional(&r, Self.date)
            case "badge": badge = try optional(&r, text)
            case "reader": reader = try optional(&r, text)
            case "field": field = try optional(&r, text)
            case "count": count = try optional(&r, number)
            case "people": people = try optional(&r) { (r) throws(Refused) in try list(&r, text) }
            case "interval": interval = try optional(&r, text)
            case "drift_seconds": driftSeconds = try optional(&r, number)
            default: throw Refused()
            }
        }
        guard let kind, let message else { throw Refused() }
        var item = QualityItem(kind: kind, file: file, line: line, date: date, badge: badge, reader: reader, field: field,
                               count: count, message: message)
        item.people = people
        item.interval = interval
        item.driftSeconds = driftSeconds
        return item
    }

    // MARK: Values

    /// An array of `element`s.
    private static func list<T>(_ r: inout JSONByteReader,
                                _ element: (inout JSONByteReader) throws(Refused) -> T) throws(Refused) -> [T] {
        var out: [T] = []
        try r.array { (r) throws(Refused) in out.append(try element(&r)) }
        return out
    }

    /// An optional field: `null` is nil, as `decodeIfPresent` reads it.
    private static func optional<T>(_ r: inout JSONByteReader,
                                    _ value: (inout JSONByteReader) throws(Refused) -> T) throws(Refused) -> T? {
        r.null() ? nil : try value(&r)
    }

    /// `yyyy-MM-dd`, as `CivilDate`'s `Decodable` reads it.
    private static func date(_ r: inout JSONByteReader) throws(Refused) -> CivilDate {
        guard let date = CivilDate(try r.string()) else { throw Refused() }
        return date
    }

    /// A local time, as `LocalDateTime`'s `Decodable` reads it.
    private static func localTime(_ r: inout JSONByteReader) throws(Refused) -> LocalDateTime {
        guard let time = LocalDateTime(try r.string()) else { throw Refused() }
        return time
    }

    /// `generated_at` as the agent writes it, `yyyy-MM-ddTHH:mm:ssZ` (`JSONEncoder`'s `.iso8601`) from
    /// 1970 on; any other form of ISO 8601 (an offset, a fraction) is left to `JSONDecoder`.
    private static func instant(_ r: inout JSONByteReader) throws(Refused) -> Date {
        let b = Array(try r.string().utf8)
        guard b.count == 20, b[10] == UInt8(ascii: "T"), b[19] == UInt8(ascii: "Z"),
              let time = LocalDateTime(String(decoding: b[0..<19], as: UTF8.self)), time.seconds >= 0
        else { throw Refused() }
        return Date(timeIntervalSince1970: TimeInterval(time.seconds))
    }

    /// One of an enumeration's raw values.
    private static func known<T: RawRepresentable>(_ r: inout JSONByteReader, _: T.Type) throws(Refused) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try r.string()) else { throw Refused() }
        return value
    }
}
