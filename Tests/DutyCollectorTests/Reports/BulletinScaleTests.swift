import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The bulletin for 100,000 people in 200 units, timed. It stores two months of summaries first
/// (about a minute), so it runs only with `DUTYWATCH_BENCH=1`.
@Suite("Bulletin at scale", .enabled(if: ProcessInfo.processInfo.environment["DUTYWATCH_BENCH"] == "1"))
struct BulletinScaleTests {
    /// 20 branches × 10 sections = 200 leaf units of 500 people; one agent per branch; about 1.5 %
    /// of person-days with an anomaly, spread over people by a fixed pseudo-random sequence.
    @Test("a month's bulletin for 100,000 people in 200 units")
    func hundredThousandPeople() async throws {
        try await ReportFixture.withSQLite { store in
            var seed: UInt64 = 42
            func next(_ n: Int) -> Int {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Int((seed >> 33) % UInt64(n))
            }
            // Mostly minor lateness; about a fifth serious or critical.
            let kinds: [(AnomalyKind, Severity, Int)] = Array(repeating: (.late, .minor, 12), count: 6) + [
                (.late, .serious, 40), (.earlyLeave, .minor, 15), (.earlyLeave, .minor, 8), (.missingOut, .minor, 0),
                (.missingIn, .minor, 0), (.absent, .critical, 450), (.offPost, .serious, 45)]
            for b in 0..<20 {
                try await store.addAgent(AgentRecord(id: "branch-\(b)", unitPrefixes: [UnitPath("局/分局\(b)")], tokenHash: "h\(b)",
                                                     createdAt: ReportFixture.utc(2026, 1, 1, 0)))
            }
            let started = Date()
            var anomalies = 0
            for month in [ReportMonth("2026-10")!, ReportMonth("2026-11")!] {
                for n in month.first.dayNumber...month.last.dayNumber {
                    let date = CivilDate(dayNumber: n)
                    let workday = date.weekday != .sat && date.weekday != .sun
                    for b in 0..<20 {
                        var units: [UnitDayFigures] = []
                        var list: [Anomaly] = []
                        for s in 0..<10 {
                            let unit = UnitPath("局/分局\(b)/科室\(s)")
                            var f = UnitDayFigures(unit: unit, scheduled: workday ? 500 : 0, present: workday ? 500 : 0)
                            for _ in 0..<(workday ? 7 + next(2) : 0) {
                                let (kind, severity, minutes) = kinds[next(kinds.count)]
                                let person = "\(b)-\(s)-\(next(500))"
                                let start = LocalDateTime(date: date, secondsOfDay: 9 * 3600)
                                let id = StableID.anomaly(site: "branch-\(b)", person: person, date: date, shift: "day", kind: kind, start: start)
                                guard !list.contains(where: { $0.id == id }) else { continue }
                                list.append(Anomaly(id: id, person: person, name: "员工\(person)", unit: unit, date: date, shift: "day",
                                                    duty: false, kind: kind, minutes: minutes, severity: severity, excused: false,
                                                    reason: nil, evidence: []))
                                f.kinds[kind, default: KindFigures()].count += 1
                                f.kinds[kind, default: KindFigures()].minutes += minutes
                                if kind == .absent { f.present -= 1 }
                            }
                            units.append(f)
                        }
                        anomalies += list.count
                        let summary = DaySummary(agent: "branch-\(b)", site: "branch-\(b)", date: date, revision: 1,
                                                 generatedAt: ReportFixture.utc(2026, 11, 1, 0), units: units, anomalies: list, quality: [])
                        _ = try await store.store(summary, receivedAt: ReportFixture.utc(2026, 11, 1, 0))
                    }
                }
            }
            let loaded = Date().timeIntervalSince(started)
            let clock = ContinuousClock()
            var bulletin: Bulletin?
            let elapsed = try await clock.measure {
                bulletin = try await BulletinBuilder.build(month: "2026-11", under: nil, store: store, settings: BulletinSettings(),
                                                           now: ReportFixture.now)
            }
            let m = ReportMonth("2026-11")!
            let parts = [
                ("unitFigures", try await clock.measure { _ = try await store.unitFigures(from: m.first, to: m.last, under: nil) }),
                ("personCounts", try await clock.measure { _ = try await store.personCounts(from: m.first, to: m.last, under: nil) }),
                ("serious", try await clock.measure { _ = try await store.seriousAnomalies(from: m.first, to: m.last, under: nil) }),
                ("agentHealth", try await clock.measure { _ = try await store.agentHealth(from: m.first, to: m.last) }),
            ]
            print("bulletin scale parts: " + parts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            let html = clock.measure { _ = BulletinHTMLRenderer.render(bulletin!) }
            let b = try #require(bulletin)
            print("bulletin scale: loaded \(anomalies) anomalies in \(Int(loaded)) s; built in \(elapsed); HTML in \(html); "
                  + "\(b.units.count) units, \(b.repeatCases.count) repeat cases, \(b.seriousCases.count) serious cases")
            #expect(b.units.count == 221 && b.totals.scheduled == 100_000 * 21)
            #expect(elapsed < .seconds(1))
        }
    }
}
