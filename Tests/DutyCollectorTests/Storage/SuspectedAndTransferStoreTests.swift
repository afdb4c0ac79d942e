import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// Suspected anomalies (wire format 2) in the store: in no figure, count or bulletin query until HR
/// confirms one, listed first for review; and a person transferred between units: each anomaly and
/// each figure stays in the unit of its date.
@Suite struct SuspectedAndTransferStoreTests {
    /// An off-post reported as suspected.
    static func suspected(_ person: String, unit: String, date: CivilDate, minutes: Int) -> Anomaly {
        let start = LocalDateTime(date: date, secondsOfDay: 20 * 3600)
        var a = Anomaly(id: StableID.anomaly(site: "site", person: person, date: date, shift: "night-duty", kind: .offPost,
                                             start: start, suspected: true),
                        person: person, name: "姓名\(person)", unit: UnitPath(unit), date: date, shift: "night-duty",
                        duty: true, kind: .offPost, minutes: minutes, severity: .critical, excused: false, reason: nil,
                        expectedStart: start, evidence: [Evidence(file: "p.csv", line: 9, time: start, reader: "3")])
        a.suspected = true
        return a
    }

    @Test("a suspected anomaly counts nowhere until confirmed, and is listed first", arguments: StorageBackend.available)
    func suspectedAnomalies(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let d = S.day(16)
            let late = S.anomaly("p1", .late, unit: S.squad1, date: d, minutes: 12)
            let charged = S.anomaly("p2", .offPost, unit: S.squad1, date: d, minutes: 40, severity: .critical, shift: "night-duty")
            let doubt = Self.suspected("p2", unit: S.squad1, date: d, minutes: 588)
            let s = S.summary(date: d, revision: 1, units: [S.squad1: (2, 2)], anomalies: [late, charged, doubt])
            #expect(s.schema == 2)
            #expect(try await store.store(s, receivedAt: S.time(1)) == .stored)

            let figures = try await store.unitFigures(from: d, to: d, under: UnitPath(S.squad1))
            #expect(figures.first?.kinds[.offPost] == KindFigures(count: 1, minutes: 40))
            #expect(try await store.personCounts(from: d, to: d, under: nil).first { $0.person == "p2" }?.count == 1)
            #expect(try await store.seriousAnomalies(from: d, to: d, under: nil).map(\.anomaly.id) == [charged.id])
            // The review queue: the suspicion first.
            #expect(try await store.anomalies(AnomalyFilter()).map(\.anomaly.id) == [doubt.id, late.id, charged.id])
            #expect(try await store.anomalies(AnomalyFilter(state: .open)).first?.anomaly.suspected == true)
            #expect(try await store.reviewCounts(from: d, to: d, under: nil).open == 2)

            // Excused, it still counts nowhere; confirmed, it counts as an off-post.
            _ = try await store.review(ReviewDecision(anomalyID: doubt.id, state: .excused, note: "巡查", by: "hr", at: S.time(2)))
            #expect(try await store.unitFigures(from: d, to: d, under: UnitPath(S.squad1)).first?.kinds[.offPost]?.count == 1)
            _ = try await store.review(ReviewDecision(anomalyID: doubt.id, state: .confirmed, note: "监控核实", by: "hr", at: S.time(3)))
            #expect(try await store.unitFigures(from: d, to: d, under: UnitPath(S.squad1)).first?.kinds[.offPost]
                    == KindFigures(count: 2, minutes: 628))
            #expect(try await store.personCounts(from: d, to: d, under: nil).first { $0.person == "p2" }?.count == 2)
            #expect(try await store.seriousAnomalies(from: d, to: d, under: nil).count == 2)
            #expect(try await store.reviewCounts(from: d, to: d, under: nil).confirmed == 1)
        }
    }

    @Test("a transferred person's anomalies and figures stay in the unit of their date", arguments: StorageBackend.available)
    func transfers(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            // p3 in squad 1 on the 17th, in the office from the 18th (as the agent reports after a transfer).
            let before = S.anomaly("p3", .late, unit: S.squad1, date: S.day(17), minutes: 7)
            let after = S.anomaly("p3", .late, unit: S.office, date: S.day(18), minutes: 9)
            _ = try await store.store(S.summary(date: S.day(17), revision: 1, units: [S.squad1: (1, 1)], anomalies: [before]),
                                      receivedAt: S.time(1))
            _ = try await store.store(S.summary(date: S.day(18), revision: 1, units: [S.office: (1, 1)], anomalies: [after]),
                                      receivedAt: S.time(1))
            let all = Dictionary(uniqueKeysWithValues: try await store.unitFigures(from: S.day(17), to: S.day(18), under: nil)
                .map { ($0.unit.description, $0) })
            #expect(all[S.squad1]?.kinds[.late] == KindFigures(count: 1, minutes: 7))
            #expect(all[S.squad1]?.scheduled == 1)
            #expect(all[S.office]?.kinds[.late] == KindFigures(count: 1, minutes: 9))
            #expect(all[S.brigade]?.kinds[.late]?.count == 1)
            #expect(all[S.root]?.kinds[.late]?.count == 2)
            let counts = try await store.personCounts(from: S.day(17), to: S.day(18), under: nil)
            #expect(counts.map(\.unit.description).sorted() == [S.office, S.squad1].sorted())
        }
    }
}
