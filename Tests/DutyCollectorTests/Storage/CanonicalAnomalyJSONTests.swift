import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// The byte writer of an anomaly's canonical JSON writes exactly what `JSONEncoder` does (the
/// summary's digest is computed over these bytes), or declines.
@Suite struct CanonicalAnomalyJSONTests {
    static func encoded(_ a: Anomaly) throws -> [UInt8] { Array(try DaySummary.canonicalEncoder.encode(a)) }

    @Test(arguments: ["summary-v1", "summary-v2", "summary-v3"])
    func everyFixtureAnomalyIsWrittenAsTheEncoderWritesIt(_ name: String) throws {
        let data = try Data(contentsOf: try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/wire")))
        let summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(!summary.anomalies.isEmpty)
        let units = try #require(CanonicalAnomalyJSON.bytes(summary.units))
        let quality = try #require(CanonicalAnomalyJSON.bytes(summary.quality))
        #expect(String(decoding: quality, as: UTF8.self)
            == String(decoding: try DaySummary.canonicalEncoder.encode(summary.quality), as: UTF8.self))
        #expect(String(decoding: units, as: UTF8.self)
            == String(decoding: try DaySummary.canonicalEncoder.encode(summary.units), as: UTF8.self))
        for a in summary.anomalies {
            let written = try #require(CanonicalAnomalyJSON.bytes(a), "\(a.id) declined")
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: try Self.encoded(a), as: UTF8.self))
        }
    }

    @Test func everyFixtureDayPunchesEntryIsWrittenAsTheEncoderWritesIt() throws {
        let data = try Data(contentsOf: try #require(
            Bundle.module.url(forResource: "summary-v3", withExtension: "json", subdirectory: "Fixtures/wire")))
        let summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(summary.dayPunches.count == 3)
        #expect(summary.dayPunches.contains { $0.punches.isEmpty })
        for day in summary.dayPunches {
            let written = try #require(CanonicalAnomalyJSON.bytes(day), "\(day.person) declined")
            #expect(String(decoding: written, as: UTF8.self)
                == String(decoding: try DaySummary.canonicalEncoder.encode(day), as: UTF8.self))
        }
    }

    @Test func dayPunchesWithAwkwardTextMatchTheEncoderOrAreLeftToIt() throws {
        let day = PersonDayPunches(person: "p\"1\\ 张", punches: [
            Evidence(file: "a/b\\c\"d.csv", line: 12_345, time: LocalDateTime(date: S.day(3), secondsOfDay: 0), reader: "大门-1",
                     direction: .entrance),
            Evidence(file: "x.dat", line: 1, time: LocalDateTime(date: S.day(3), secondsOfDay: 86_399), reader: "", direction: nil),
            Evidence(file: "y.dat", line: 0, time: LocalDateTime(date: S.day(4), secondsOfDay: 61), reader: "😀 é e\u{301}",
                     direction: .exit),
        ], omitted: 1_234)
        for sample in [day, PersonDayPunches(person: "1003", punches: [])] {
            let written = try #require(CanonicalAnomalyJSON.bytes(sample))
            #expect(String(decoding: written, as: UTF8.self)
                == String(decoding: try DaySummary.canonicalEncoder.encode(sample), as: UTF8.self))
        }
        var tab = day
        tab.punches[1].reader = "tab\there"
        #expect(CanonicalAnomalyJSON.bytes(tab) == nil)
        #expect(CanonicalAnomalyJSON.bytes(PersonDayPunches(person: "new\nline", punches: [])) == nil)
    }

    @Test func qualityItemsWithEveryFieldOrNoneMatchTheEncoder() throws {
        var full = QualityItem(kind: .unknownBadge, file: "badges/a\\b \"c\".dat", line: 77, date: S.day(3), badge: "B-007",
                               reader: "大门-1", field: "时间", count: 12, message: "第77行: 时间 \"25:61\" 无法识别 😀 é e\u{301}")
        full.people = ["张三 (1001)", "O'Brien (\"2\")"]
        full.interval = "2026-11-02 08:00 – 09:30"
        full.driftSeconds = -42
        var empty = full
        empty.people = []
        let bare = QualityItem(kind: .badLine, message: "m")
        for items in [[full, bare, empty], [], [bare]] {
            let written = try #require(CanonicalAnomalyJSON.bytes(items))
            #expect(String(decoding: written, as: UTF8.self)
                == String(decoding: try DaySummary.canonicalEncoder.encode(items), as: UTF8.self))
        }
        #expect(CanonicalAnomalyJSON.bytes([QualityItem(kind: .badLine, message: "tab\there")]) == nil)
        #expect(CanonicalAnomalyJSON.bytes([QualityItem(kind: .badLine, badge: "ls\u{2028}", message: "m")]) == nil)
    }

    @Test func awkwardTextAndEveryOptionalFieldMatchTheEncoder() throws {
        var a = S.anomaly("p\"1\\", .offPost, unit: "市场监管局/执法/大队 \"甲\"", date: S.day(3), minutes: 95,
                          severity: .serious, excused: true, name: "O'Brien / 张 \\ 😀 é e\u{301}")
        a.shiftName = "早班/前半"
        a.suspected = true
        a.reason = "病假 \"半天\" C:\\path"
        a.expectedEnd = LocalDateTime(date: S.day(3), secondsOfDay: 17 * 3600 + 30 * 60 + 5)
        a.awayFrom = LocalDateTime(date: S.day(3), secondsOfDay: 10 * 3600)
        a.awayTo = LocalDateTime(date: S.day(4), secondsOfDay: 59)
        a.evidence = [
            Evidence(file: "a/b\\c\"d.csv", line: 12_345, time: LocalDateTime(date: S.day(3), secondsOfDay: 0), reader: "大门-1",
                     direction: .entrance),
            Evidence(file: "x.dat", line: 1, time: LocalDateTime(date: S.day(3), secondsOfDay: 86_399), reader: "", direction: nil),
        ]
        var bare = S.anomaly("p2", .late, unit: "Office", date: S.day(5))
        bare.expectedStart = nil
        bare.evidence = []
        for sample in [a, bare] {
            let written = try #require(CanonicalAnomalyJSON.bytes(sample))
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: try Self.encoded(sample), as: UTF8.self))
        }
    }

    @Test func unitFiguresWithEveryKindMatchTheEncoder() throws {
        var kinds: [AnomalyKind: KindFigures] = [:]
        for (i, kind) in AnomalyKind.allCases.enumerated() { kinds[kind] = KindFigures(count: i + 1, minutes: 10 * i) }
        let units = [UnitDayFigures(unit: UnitPath("市场监管局/\"甲\" \\ 乙/é"), scheduled: 1_000_000, present: 0, excused: 3,
                                    unverified: 7, kinds: kinds),
                     UnitDayFigures(unit: UnitPath("Office"))]
        let written = try #require(CanonicalAnomalyJSON.bytes(units))
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try DaySummary.canonicalEncoder.encode(units), as: UTF8.self))
        #expect(CanonicalAnomalyJSON.bytes([UnitDayFigures(unit: UnitPath("tab\there"))]) == nil)
    }

    @Test(arguments: ["tab\there", "new\nline", "nul\u{0}", "del\u{7F}", "ls\u{2028}", "ps\u{2029}"])
    func textWithControlCharactersIsLeftToTheEncoder(_ name: String) {
        #expect(CanonicalAnomalyJSON.bytes(S.anomaly("p1", .late, unit: "Office", date: S.day(3), name: name)) == nil)
    }
}
