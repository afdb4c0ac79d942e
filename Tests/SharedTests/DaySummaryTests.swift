import Foundation
import Testing
@testable import Shared

@Suite struct DaySummaryTests {
    let d1 = CivilDate("2026-11-02")!
    let d2 = CivilDate("2026-11-03")!
    let office = UnitPath("市场监管局/办公室")
    let law = UnitPath("市场监管局/执法大队")

    func instance(_ person: String, _ unit: UnitPath, _ date: CivilDate, _ status: InstanceOutcome.Status) -> InstanceOutcome {
        InstanceOutcome(person: person, unit: unit, date: date, shift: "day", duty: false, status: status)
    }

    func anomaly(_ person: String, _ unit: UnitPath, _ date: CivilDate, _ kind: AnomalyKind, _ minutes: Int,
                 excused: Bool = false) -> Anomaly {
        Anomaly(id: StableID.anomaly(site: "s", person: person, date: date, shift: "day", kind: kind, start: date.midnight),
                person: person, name: "N\(person)", unit: unit, date: date, shift: "day", duty: false, kind: kind,
                minutes: minutes, severity: .serious, excused: excused, reason: excused ? "年假" : nil, evidence: [])
    }

    var evaluation: Evaluation {
        Evaluation(
            anomalies: [
                anomaly("1", office, d1, .late, 12),
                anomaly("2", office, d1, .late, 40),
                anomaly("3", law, d1, .absent, 450),
                anomaly("4", law, d1, .absent, 450, excused: true),
                anomaly("1", office, d2, .earlyLeave, 7),
            ],
            quality: [
                QualityItem(kind: .readerSilent, date: d2, count: 2, message: "no punch on 2026-11-03"),
                QualityItem(kind: .badLine, file: "badges/1_attlog.dat", line: 5, message: "impossible date"),
                QualityItem(kind: .badLine, file: "badges/1_attlog.dat", line: 1, message: "fill bytes"),
                QualityItem(kind: .badLine, file: "badges/empty.csv", line: 2, message: "no time"),
            ],
            instances: [
                instance("1", office, d1, .present), instance("2", office, d1, .present),
                instance("3", law, d1, .absent), instance("4", law, d1, .excused),
                instance("1", office, d2, .present), instance("2", office, d2, .unverified),
            ])
    }

    var dating: QualityDating {
        let t1 = LocalDateTime("2026-11-02 08:55:00")!, t2 = LocalDateTime("2026-11-03 09:01:00")!
        return QualityDating(punches: [
            Punch(badge: "1", time: t1, reader: "1", state: 0, source: SourceRef(file: 0, line: 2)),
            Punch(badge: "2", time: t1, reader: "1", state: 0, source: SourceRef(file: 0, line: 3)),
            Punch(badge: "1", time: t2, reader: "1", state: 0, source: SourceRef(file: 0, line: 4)),
            Punch(badge: "2", time: t2, reader: "1", state: 0, source: SourceRef(file: 0, line: 6)),
        ], files: ["badges/1_attlog.dat"])
    }

    @Test func unitFiguresCountInstancesAndChargedAnomalies() throws {
        let summaries = DaySummary.build(from: evaluation, dates: [d1, d2], agent: "sjj", site: "市局",
                                         generatedAt: Date(timeIntervalSince1970: 0), dating: dating, fallbackDate: d1)
        #expect(summaries.map(\.date) == [d1, d2])
        let first = summaries[0]
        #expect(first.units.map(\.unit) == [office, law], "units in path order (办 before 执)")
        let officeFigures = first.units[0], lawFigures = first.units[1]
        #expect(lawFigures.scheduled == 2 && lawFigures.present == 0 && lawFigures.excused == 1)
        #expect(lawFigures.kinds == [.absent: KindFigures(count: 1, minutes: 450)])
        #expect(officeFigures.scheduled == 2 && officeFigures.present == 2)
        #expect(officeFigures.kinds == [.late: KindFigures(count: 2, minutes: 52)])
        #expect(first.anomalies.count == 4, "excused anomalies are listed, only not counted")
        let second = summaries[1]
        #expect(second.units.map(\.unverified) == [1])
        #expect(second.units[0].kinds == [.earlyLeave: KindFigures(count: 1, minutes: 7)])
    }

    @Test func qualityItemsGoToTheDatesTheyConcern() {
        let summaries = DaySummary.build(from: evaluation, dates: [d1, d2], agent: "sjj", site: "市局",
                                         generatedAt: Date(), dating: dating, fallbackDate: d1)
        // line 1 is above every punch: the first punch below (11-02); line 5 follows line 4 (11-03);
        // a file without punches goes to the fallback date.
        #expect(summaries[0].quality.map(\.line) == [1, 2])
        #expect(summaries[0].quality.map(\.file) == ["badges/1_attlog.dat", "badges/empty.csv"])
        #expect(summaries[1].quality.map(\.kind) == [.badLine, .readerSilent])
        #expect(summaries[1].quality.first?.line == 5)
    }

    @Test func datelessItemsWithoutFallbackAreLeftOut() {
        let summaries = DaySummary.build(from: evaluation, dates: [d2], agent: "sjj", site: "市局", generatedAt: Date())
        #expect(summaries.count == 1)
        #expect(summaries[0].quality.map(\.kind) == [.readerSilent])
    }

    /// A shift's name travels in the summary as `shift_name`; a summary without it (older agents,
    /// shifts without a name) decodes with none and keeps its digest.
    @Test func shiftNameIsAnOptionalWireField() throws {
        var named = anomaly("1", office, d1, .late, 12)
        named.shiftName = "日间班"
        let json = String(decoding: try DaySummary.canonicalEncoder.encode(named), as: UTF8.self)
        #expect(json.contains("\"shift_name\":\"日间班\""))
        let back = try DaySummary.decoder.decode(Anomaly.self, from: Data(json.utf8))
        #expect(back.shiftName == "日间班" && back.shiftLabel == "日间班")
        let plain = anomaly("1", office, d1, .late, 12)
        let plainJSON = String(decoding: try DaySummary.canonicalEncoder.encode(plain), as: UTF8.self)
        #expect(!plainJSON.contains("shift_name"))
        #expect(try DaySummary.decoder.decode(Anomaly.self, from: Data(plainJSON.utf8)).shiftLabel == "day")
    }

    @Test func digestIsStableAcrossOrderTimeAndRevision() {
        let a = DaySummary.build(from: evaluation, dates: [d1, d2], agent: "sjj", site: "市局",
                                 generatedAt: Date(timeIntervalSince1970: 0), dating: dating, fallbackDate: d1)
        var shuffled = evaluation
        shuffled.anomalies.reverse()
        shuffled.quality.reverse()
        shuffled.instances.reverse()
        var b = DaySummary.build(from: shuffled, dates: [d2, d1], agent: "sjj", site: "市局",
                                 generatedAt: Date(timeIntervalSince1970: 86_400), dating: dating, fallbackDate: d1)
        b[0].revision = 7
        #expect(a.map(\.digest) == b.map(\.digest))
        #expect(a.map { $0.contentDigest() } == b.map { $0.contentDigest() })
        #expect(a[0].digest != a[1].digest)
    }

    @Test func digestChangesWithContent() {
        let before = DaySummary.build(from: evaluation, dates: [d1], agent: "sjj", site: "市局", generatedAt: Date())
        var changed = evaluation
        changed.anomalies[0].minutes += 1
        let after = DaySummary.build(from: changed, dates: [d1], agent: "sjj", site: "市局", generatedAt: Date())
        #expect(before[0].digest != after[0].digest)
    }

    @Test func summaryRoundTripsThroughTheCanonicalEncoding() throws {
        let s = DaySummary.build(from: evaluation, dates: [d1], agent: "sjj", site: "市局", generatedAt: Date(timeIntervalSince1970: 1_700_000_000))[0]
        let data = try DaySummary.canonicalEncoder.encode(s)
        let back = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(back == s)
        #expect(back.contentDigest() == s.digest)
    }

    @Test func datingPicksTheNearestPunchAbove() {
        let d = dating
        #expect(d.date(file: "badges/1_attlog.dat", line: 1) == d1)
        #expect(d.date(file: "badges/1_attlog.dat", line: 3) == d1)
        #expect(d.date(file: "badges/1_attlog.dat", line: 4) == d2)
        #expect(d.date(file: "badges/1_attlog.dat", line: 900) == d2)
        #expect(d.date(file: "other.dat", line: 1) == nil)
        #expect(d.date(file: nil, line: 1) == nil)
    }
}
