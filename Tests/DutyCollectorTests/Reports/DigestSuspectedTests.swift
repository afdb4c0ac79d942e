import Foundation
import Shared
import Testing
@testable import DutyCollector

/// A suspected off-post in the collector's digest: under its own heading (存疑待核), in `total` and
/// `open` but in no charged count, until HR confirms it.
@Suite struct DigestSuspectedTests {
    static let date = CivilDate(year: 2026, month: 11, day: 2)!

    static func rows(review: ReviewState) -> [StoredAnomaly] {
        func anomaly(_ person: String, _ kind: AnomalyKind, minutes: Int, suspected: Bool = false) -> Anomaly {
            let start = LocalDateTime(date: date, secondsOfDay: 20 * 3600)
            var a = Anomaly(id: StableID.anomaly(site: "s", person: person, date: date, shift: "night-duty", kind: kind,
                                                 start: start, suspected: suspected),
                            person: person, name: "姓名\(person)", unit: UnitPath("局/值班室"), date: date, shift: "night-duty",
                            duty: true, kind: kind, minutes: minutes, severity: .critical, excused: false, reason: nil,
                            evidence: [Evidence(file: "b.dat", line: 3, time: start, reader: "3")])
            a.suspected = suspected
            return a
        }
        return [StoredAnomaly(agent: "a", revision: 1, anomaly: anomaly("1", .late, minutes: 12), review: .open),
                StoredAnomaly(agent: "a", revision: 1, anomaly: anomaly("2", .offPost, minutes: 588, suspected: true),
                              review: review)]
    }

    @Test func anOpenSuspicionIsListedApartAndCountsNowhere() {
        let d = DigestBuilder.make(Self.rows(review: .open), from: Self.date, to: Self.date, scope: nil, now: Date(timeIntervalSince1970: 0))
        #expect(d.total == 2 && d.open == 2 && d.charged == 1)
        #expect(d.byKind.map(\.kind) == [.late])
        #expect(d.suspectedCount == 1)
        #expect(d.units.flatMap(\.people).map(\.person) == ["1"])
        let table = DigestRenderer.table(d)
        #expect(table.contains("另有存疑待核 1 条，不计入"))
        #expect(table.contains("\n存疑待核 · 局/值班室\n"))
        #expect(DigestRenderer.markdown(d).contains("## 存疑待核 · 局/值班室"))
        #expect(DigestRenderer.csv(d).contains(",存疑待核,"))
        #expect(DigestRenderer.table(d, language: .en).contains("suspected · 局/值班室"))
    }

    @Test func aConfirmedSuspicionCountsAsTheOffPostItIs() {
        let d = DigestBuilder.make(Self.rows(review: .confirmed), from: Self.date, to: Self.date, scope: nil,
                                   now: Date(timeIntervalSince1970: 0))
        #expect(d.charged == 2 && d.suspected == nil)
        #expect(d.byKind.first { $0.kind == .offPost }?.count == 1)
    }
}
