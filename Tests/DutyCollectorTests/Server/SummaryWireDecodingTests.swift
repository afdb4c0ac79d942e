import Foundation
import Shared
import Testing
@testable import DutyCollector

/// `SummaryWireDecoding` (the byte-level reader of the known wire shape) against `JSONDecoder`:
/// whatever it returns must be exactly what `JSONDecoder` returns, and whatever it leaves must
/// still get `JSONDecoder`'s answer (the summary, or the 400 naming the field).
@Suite struct SummaryWireDecodingTests {
    /// The fast reader's summary, or nil when it leaves the body to `JSONDecoder`.
    static func fast(_ body: Data) -> DaySummary? { body.withUnsafeBytes { SummaryWireDecoding.decode($0) } }

    static func foundation(_ body: Data) -> DaySummary? { try? DaySummary.decoder.decode(DaySummary.self, from: body) }

    /// Both readers agree: same value and the same canonical bytes (`==` on strings is Unicode
    /// equivalence, the bytes are not), and the route's `decode` answers as `JSONDecoder` alone would.
    static func expectAgreement(_ body: Data, fastReads: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let quick = fast(body)
        if let fastReads { #expect((quick != nil) == fastReads, sourceLocation: sourceLocation) }
        if let quick {
            let reference = foundation(body)
            #expect(quick == reference, sourceLocation: sourceLocation)
            let encoder = DaySummary.canonicalEncoder
            #expect((try? encoder.encode(quick)) == reference.flatMap { try? encoder.encode($0) }, sourceLocation: sourceLocation)
        }
        #expect(answer(body) == answer(body, foundationOnly: true), sourceLocation: sourceLocation)
    }

    enum Answer: Equatable {
        case summary(DaySummary)
        case refused(APIRefusal)
    }

    /// The route's decoding of `body` (`SummaryDecoding.decode`), or `JSONDecoder`'s alone.
    static func answer(_ body: Data, foundationOnly: Bool = false) -> Answer {
        do {
            return .summary(foundationOnly ? try SummaryDecoding.decodeWithFoundation(body) : try SummaryDecoding.decode(body))
        } catch {
            return .refused(error.body)
        }
    }

    static func compact(_ summary: DaySummary) throws -> Data { try DaySummary.canonicalEncoder.encode(summary) }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test func theWireFixturesAreReadByTheFastPath() throws {
        for url in [try WireFixtureTests.fixtureURL, try WireFixtureTests.v2FixtureURL] {
            // Pretty-printed as recorded (white space everywhere), and compact as an agent sends it.
            let pretty = try Data(contentsOf: url)
            Self.expectAgreement(pretty, fastReads: true)
            let summary = try #require(Self.fast(pretty))
            Self.expectAgreement(try Self.compact(summary), fastReads: true)
        }
        #expect(Self.fast(try Self.compact(WireFixtureTests.v2Summary())) == WireFixtureTests.v2Summary())
        #expect(Self.fast(try Self.compact(WireFixtureTests.v1Summary())) == WireFixtureTests.v1Summary())
    }

    @Test func theV3FixtureWithDayPunchesIsReadByTheFastPath() throws {
        let pretty = try DayPunchesWireTests.fixture("summary-v3")
        Self.expectAgreement(pretty, fastReads: true)
        let summary = try #require(Self.fast(pretty))
        #expect(summary == DayPunchesWireTests.v3Summary())
        #expect(summary.dayPunches.count == 3)
        Self.expectAgreement(try Self.compact(summary), fastReads: true)
        // `null` reads as none, as `decodeIfPresent` does; a day punch without `omitted` is left to
        // `JSONDecoder`, which refuses it.
        let v1 = Self.text(try Self.compact(WireFixtureTests.v1Summary()))
        let withNull = Data(("{\"day_punches\":null," + v1.dropFirst()).utf8)
        Self.expectAgreement(withNull, fastReads: true)
        #expect(Self.fast(withNull) == WireFixtureTests.v1Summary())
        let compact = Self.text(try Self.compact(summary))
        let withoutOmitted = Data(compact.replacingOccurrences(of: #""omitted":0,"#, with: "").utf8)
        Self.expectAgreement(withoutOmitted, fastReads: false)
        #expect(Self.foundation(withoutOmitted) == nil)
    }

    @Test func optionalFieldsMayBeAbsentOrNull() throws {
        let body = #"""
            {"schema":1,"agent":"a","site":"s","date":"2026-11-02","revision":1,"generated_at":"2026-11-02T10:00:00Z",
             "digest":"d","quality":[{"kind":"bad_line","message":"m","file":null,"line":null,"people":["张三 (1)"],
             "drift_seconds":-30,"interval":"07:00-12:00"}],
             "units":[{"unit":"局/科","scheduled":3,"present":2,"kinds":{}},{"unit":"局","scheduled":0,"present":0,
             "excused":null,"unverified":4,"kinds":{"late":{"count":1,"minutes":5}}}],
             "anomalies":[{"id":"x","person":"1","name":"n","unit":"局/科","date":"2026-11-02","shift":"day","duty":false,
             "kind":"late","minutes":5,"severity":"minor","excused":false,"reason":null,"shift_name":null,"suspected":null,
             "expected_start":"2026-11-02 08:30","away_to":null,"evidence":[{"file":"f","line":1,"time":"2026-11-02T08:35:00",
             "reader":"r"},{"file":"f","line":2,"time":"2026-11-02T08:36:00","reader":"r","direction":null}]}]}
            """#
        Self.expectAgreement(Data(body.utf8), fastReads: true)
        let s = try #require(Self.fast(Data(body.utf8)))
        #expect(s.units[1].unverified == 4 && s.units[0].excused == 0)
        #expect(s.quality[0].people == ["张三 (1)"] && s.quality[0].driftSeconds == -30)
        #expect(s.anomalies[0].expectedStart == LocalDateTime("2026-11-02 08:30"))
    }

    @Test func escapesAreDecodedAsJSONDecoderDoes() throws {
        var summary = WireFixtureTests.v1Summary()
        summary.site = "执法\"大队\"\\机关\n\t/é😀\u{0}"
        summary.quality[0].message = "line\u{2028}break \u{7F} and \u{1F}"
        let plain = Self.text(try Self.compact(summary))
        Self.expectAgreement(Data(plain.utf8), fastReads: true)
        // Every non-ASCII character escaped, as Python's json.dumps writes by default.
        var escaped = ""
        for scalar in plain.unicodeScalars {
            if scalar.isASCII {
                escaped.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 { escaped += "\\u" + String(format: "%04X", unit) }
            }
        }
        Self.expectAgreement(Data(escaped.utf8), fastReads: true)
        #expect(Self.fast(Data(escaped.utf8)) == summary)
    }

    /// Bodies the fast reader leaves to `JSONDecoder`; the route's answer is `JSONDecoder`'s.
    @Test func whatItDoesNotKnowIsLeftToJSONDecoder() throws {
        let body = Self.text(try Self.compact(WireFixtureTests.v1Summary()))
        func variant(_ from: String, _ to: String) -> Data {
            precondition(body.contains(from), from)
            return Data(body.replacingOccurrences(of: from, with: to).utf8)
        }
        var invalidUTF8 = Array(body.utf8)
        invalidUTF8[try #require(invalidUTF8.firstIndex(of: 0xE5)) + 1] = 0xFF  // inside a Chinese name
        let left: [(String, Data)] = [
            // A field of a newer wire version is never dropped.
            ("a key it does not know", variant(#""agent":"#, #""night_punches":[],"agent":"#)),
            ("an unknown anomaly key", variant(#""duty":false"#, #""duty":false,"note":"x""#)),
            ("an unknown evidence key", variant(#""file":"punches/2026-11.csv","line":214"#, #""file":"f","line":214,"x":1"#)),
            ("a key twice", variant(#""revision":3"#, #""revision":3,"revision":4"#)),
            ("a missing field", variant(#""revision":3,"#, "")),
            ("a missing unit figure", variant(#""present":11,"#, "")),
            ("a number with a fraction", variant(#""revision":3"#, #""revision":3.0"#)),
            ("a number with an exponent", variant(#""revision":3"#, #""revision":3e0"#)),
            ("a leading zero", variant(#""revision":3"#, #""revision":03"#)),
            ("a huge number", variant(#""revision":3"#, #""revision":12345678901234567890"#)),
            ("a string for a number", variant(#""revision":3"#, #""revision":"3""#)),
            ("a number for a string", variant(#""agent":"office-a""#, #""agent":7"#)),
            ("null for a required field", variant(#""agent":"office-a""#, #""agent":null"#)),
            ("an unknown kind", variant(#""kind":"late""#, #""kind":"tardy""#)),
            ("an unknown severity", variant(#""severity":"serious""#, #""severity":"grave""#)),
            ("a date that does not exist", variant(#""date":"2026-11-02","digest""#, #""date":"2026-02-30","digest""#)),
            ("a time with an offset", variant(#"Z","quality""#, #"+08:00","quality""#)),
            ("a time with a fraction", variant(#"Z","quality""#, #".5Z","quality""#)),
            ("a time before 1970", variant(#""generated_at":"2026"#, #""generated_at":"1969"#)),
            ("a bad local time", variant(#""2026-11-02T08:47:00""#, #""2026-11-02T08:77:00""#)),
            ("an unknown kind in figures", variant(#""late":{"count""#, #""lately":{"count""#)),
            ("an unescaped control character", variant("大门-1", "大门\u{1}1")),
            ("a lone surrogate", variant("大门-1", #"\uD800"#)),
            ("a bad escape", variant("大门-1", #"\x41"#)),
            ("trailing bytes", Data((body + "x").utf8)),
            ("two objects", Data((body + body).utf8)),
            ("not an object", Data("[\(body)]".utf8)),
            ("cut short", Data(body.utf8.dropLast(1))),
            ("empty", Data()),
            ("invalid UTF-8", Data(invalidUTF8)),
        ]
        for (what, data) in left {
            #expect(Self.fast(data) == nil, "\(what)")
            Self.expectAgreement(data)
        }
        // Refused for the right reason: the 400 names the field, as before.
        let missing = Self.answer(variant(#""present":11,"#, ""))
        #expect(missing == .refused(APIRefusal(error: "missing_field", message: "units[0].present is missing",
                                               field: "units[0].present", unit: nil)))
        // A newer schema is refused as such, on both paths.
        let newer = Self.answer(variant(#""schema":1"#, #""schema":9"#))
        guard case .refused(let refusal) = newer else { Issue.record("schema 9 accepted"); return }
        #expect(refusal.error == "unsupported_schema")
        Self.expectAgreement(variant(#""schema":1"#, #""schema":9"#), fastReads: true)
    }

    /// Random damage to real bodies: the fast reader either gives `JSONDecoder`'s summary or
    /// leaves the body to it; never a different summary. (scripts/fuzz.sh `summary` does the same
    /// with libFuzzer for longer.)
    @Test func damagedBodiesNeverReadDifferently() throws {
        var random = SplitMix(seed: 12)
        let bodies = [try Self.compact(WireFixtureTests.v1Summary()), try Self.compact(WireFixtureTests.v2Summary()),
                      try Data(contentsOf: try WireFixtureTests.fixtureURL),
                      try Self.compact(DayPunchesWireTests.v3Summary())]
        let pieces = Array(#"{}[]:,"\ 0123456789-.eE+tnfalsrue\u00"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xE5, 0xFF]
        var readByBoth = 0
        for round in 0..<3000 {
            var bytes = Array(bodies[round % bodies.count])
            for _ in 0..<(1 + random.next(3)) {
                let at = random.next(bytes.count)
                switch random.next(4) {
                case 0: bytes[at] = pieces[random.next(pieces.count)]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(pieces[random.next(pieces.count)], at: at)
                default:  // a run of bytes copied elsewhere (a value or key in another place)
                    let length = min(random.next(24) + 1, bytes.count - at)
                    let run = Array(bytes[at..<(at + length)])
                    bytes.insert(contentsOf: run, at: random.next(bytes.count))
                }
            }
            let data = Data(bytes)
            if let quick = Self.fast(data) {
                let reference = Self.foundation(data)
                #expect(quick == reference, "round \(round): \(Self.text(data))")
                #expect((try? Self.compact(quick)) == reference.flatMap { try? Self.compact($0) }, "round \(round)")
                readByBoth += 1
            }
        }
        // Damage inside a text value leaves a body both read: the comparison above was exercised.
        #expect(readByBoth > 100)
    }
}

/// A small deterministic random source (SplitMix64), so a failure is reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(max(bound, 1)))
    }
}
