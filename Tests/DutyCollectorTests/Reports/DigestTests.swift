import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The HR digest's selection and grouping over the fixture bureau in a real SQLite store.
@Suite("Digest")
struct DigestTests {
    static func digest(under: String? = nil, from: String? = nil, to: String? = nil) async throws -> Digest {
        try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            return try await DigestBuilder.build(under: under.map(UnitPath.init), from: from.flatMap(CivilDate.init),
                                                 to: to.flatMap(CivilDate.init), store: store, now: ReportFixture.now,
                                                 zone: BulletinSettings().zone)
        }
    }

    @Test("one unit's subtree and a date range; leave-excused and HR-excused anomalies listed with their state")
    func unitAndRange() async throws {
        let d = try await Self.digest(under: "市场监管局/综合执法大队", from: "2026-11-01", to: "2026-11-18")
        #expect(d.units.map(\.unit.description) == [ReportFixture.squad1, ReportFixture.squad2])
        let people = d.units.flatMap(\.people)
        // 钱进 (3003) has anomalies only after the 18th.
        #expect(people.map(\.person) == ["3001", "3002", "3101", "3102"])
        #expect(people.flatMap(\.entries).allSatisfy { $0.date >= CivilDate("2026-11-01")! && $0.date <= CivilDate("2026-11-18")! })
        let sun = try #require(people.first { $0.person == "3101" })
        #expect(sun.entries.map(\.date.description) == ["2026-11-06", "2026-11-13"])
        let zhao = try #require(people.first { $0.person == "3002" }?.entries.first)
        #expect(zhao.review == .excused && zhao.reviewNote == "交通管制，已核实" && zhao.reviewedBy == "人事科王敏")
        let zhou = try #require(people.first { $0.person == "3102" }?.entries.first)
        // Excused by leave: 已豁免, never 待审核 (one set of figures).
        #expect(zhou.leaveExcused && zhou.leaveReason == "病假" && zhou.review == .excused)
        #expect(d.total == 5 && d.excused == 2 && d.leaveExcused == 1 && d.confirmed == 0 && d.open == 3)
        #expect(d.charged == 3 && d.byKind.reduce(0) { $0 + $1.count } == 3)
        let chen = try #require(people.first { $0.person == "3001" }?.entries.first)
        #expect(chen.evidence.map { $0.time.description } == ["2026-11-08 19:58:00", "2026-11-08 23:10:00",
                                                                 "2026-11-08 23:50:00", "2026-11-09 08:01:00"])
        #expect(DigestRenderer.punches(chen) == "19:58:00 23:10:00 23:50:00 2026-11-09 08:01:00")
    }

    @Test("without dates: the month of today up to today")
    func defaults() async throws {
        let d = try await Self.digest()
        #expect(d.from == CivilDate("2026-12-01") && d.to == CivilDate("2026-12-01") && d.total == 0)
        #expect(DigestRenderer.table(d) == "考勤异常明细　统计期间：2026-12-01 至 2026-12-01　范围：全部单位\n期间内无考勤异常。\n")
        let october = try await Self.digest(to: "2026-10-31")
        #expect(october.from == CivilDate("2026-10-01") && october.total == 8)
    }

    @Test("the terminal table lines up columns holding Chinese")
    func alignment() async throws {
        let d = try await Self.digest(from: "2026-11-01", to: "2026-11-30")
        let lines = DigestRenderer.table(d).split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("  --") }
        // The minutes column ends at the same display column on every row.
        let header = try #require(rows.first)
        let minutesEnd = ReportText.displayWidth(String(header[..<header.range(of: "分钟")!.upperBound]))
        for row in rows.dropFirst() where !row.contains("工号") {
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            let minutes = try #require(cells.first { Int($0) != nil && !$0.hasPrefix("2026") && $0.count < 4 })
            let end = ReportText.displayWidth(String(row[..<row.range(of: " \(minutes) ")!.lowerBound])) + 1 + minutes.count
            #expect(end == minutesEnd, "\(row)")
        }
    }
}
