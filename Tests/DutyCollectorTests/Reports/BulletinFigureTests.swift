import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The bulletin's figures on small data computed by hand, through a real SQLite store.
@Suite("Bulletin figures")
struct BulletinFigureTests {
    static let x = "局/甲科", y = "局/乙科"

    /// A day summary with one anomaly per (unit, person, kind, minutes) given; figures follow from them.
    static func day(_ agent: String, _ date: String, scheduled: [String: Int],
                    _ anomalies: [(unit: String, person: String, kind: AnomalyKind, minutes: Int, severity: Severity)] = [],
                    leave: [(unit: String, person: String)] = []) -> DaySummary {
        let d = CivilDate(date)!
        var list: [Anomaly] = []
        var figures: [String: UnitDayFigures] = [:]
        for (unit, n) in scheduled { figures[unit] = UnitDayFigures(unit: UnitPath(unit), scheduled: n, present: n) }
        func make(_ unit: String, _ person: String, _ kind: AnomalyKind, _ minutes: Int, _ severity: Severity, excused: Bool) -> Anomaly {
            let start = LocalDateTime(date: d, secondsOfDay: 9 * 3600)
            return Anomaly(id: StableID.anomaly(site: agent, person: person, date: d, shift: "day", kind: kind, start: start),
                           person: person, name: "姓名\(person)", unit: UnitPath(unit), date: d, shift: "day", duty: false,
                           kind: kind, minutes: minutes, severity: severity, excused: excused, reason: excused ? "事假" : nil,
                           evidence: [])
        }
        for a in anomalies {
            list.append(make(a.unit, a.person, a.kind, a.minutes, a.severity, excused: false))
            figures[a.unit]!.kinds[a.kind, default: KindFigures()].count += 1
            figures[a.unit]!.kinds[a.kind, default: KindFigures()].minutes += a.minutes
            if a.kind == .absent { figures[a.unit]!.present -= 1 }
        }
        for l in leave {
            list.append(make(l.unit, l.person, .absent, 450, .critical, excused: true))
            figures[l.unit]!.excused += 1
            figures[l.unit]!.present -= 1
        }
        return DaySummary(agent: agent, site: agent, date: d, revision: 1, generatedAt: ReportFixture.utc(2026, 11, 1, 0),
                          units: Array(figures.values), anomalies: list, quality: [])
    }

    /// Stores `summaries` for agent `a` (granted 局) and builds the November bulletin.
    static func bulletin(_ summaries: [DaySummary], settings: BulletinSettings = BulletinSettings(),
                         now: Date = ReportFixture.now, before: (@Sendable (any CollectorStore) async throws -> Void)? = nil)
        async throws -> Bulletin {
        try await ReportFixture.withSQLite { store in
            try await store.addAgent(AgentRecord(id: "a", unitPrefixes: [UnitPath("局")], tokenHash: "h",
                                                 createdAt: ReportFixture.utc(2026, 1, 1, 0)))
            for s in summaries { _ = try await store.store(s, receivedAt: ReportFixture.utc(2026, 11, 20, 0)) }
            try await before?(store)
            return try await BulletinBuilder.build(month: "2026-11", under: nil, store: store, settings: settings, now: now)
        }
    }

    @Test("rates per 100 scheduled person-days, per kind and in all, with descendants rolled up")
    func rates() async throws {
        let b = try await Self.bulletin([
            Self.day("a", "2026-11-02", scheduled: [Self.x: 10, Self.y: 5],
                     [(Self.x, "1", .late, 5, .minor), (Self.x, "2", .late, 10, .minor), (Self.y, "3", .absent, 450, .critical)]),
            Self.day("a", "2026-11-03", scheduled: [Self.x: 10, Self.y: 5],
                     [(Self.x, "1", .late, 15, .minor), (Self.x, "2", .earlyLeave, 20, .minor), (Self.y, "4", .offPost, 40, .serious)]),
        ])
        let x = try #require(b.units.first { $0.unit == UnitPath(Self.x) })
        #expect(x.scheduled == 20)
        #expect(x.line(.late).count == 3 && x.line(.late).rate == 15)  // 3 / 20 × 100
        #expect(x.line(.earlyLeave).rate == 5)
        #expect(x.charged == 4 && x.score == 20)
        #expect(x.minutesLate == 50 && x.minutesAway == 0)
        let y = try #require(b.units.first { $0.unit == UnitPath(Self.y) })
        #expect(y.line(.absent).rate == 10 && y.line(.offPost).rate == 10 && y.score == 20 && y.minutesAway == 40)
        // The top unit 局 holds both: 6 charged over 30 person-days.
        #expect(b.totals.unit == UnitPath("局") && b.totals.scheduled == 30 && b.totals.charged == 6)
        #expect(b.totals.score == 20 && b.totals.line(.late).rate == 10)
        #expect(b.totals.minutesLate == 50 && b.totals.minutesAway == 40)
        // Equal scores rank equal; the unit with the absence is listed first.
        #expect(b.ranking.map(\.unit) == [UnitPath(Self.y), UnitPath(Self.x)])
        #expect(y.rank == 1 && x.rank == 1 && b.totals.rank == nil)
        #expect(BulletinProse(b, .zh).ranking.contains("（次数相同者并列）"))
        // Tree order: the parent, then its children by rank.
        #expect(b.units.map(\.unit.description) == ["局", Self.y, Self.x])
    }

    @Test("ranking severest first, and the change from the previous month in points")
    func rankingAndMonthOnMonth() async throws {
        let b = try await Self.bulletin([
            // October: 甲科 1 late over 8 person-days (12.5); 乙科 nothing over 4 (0).
            Self.day("a", "2026-10-30", scheduled: [Self.x: 8, Self.y: 4], [(Self.x, "1", .late, 7, .minor)]),
            // November: 甲科 1 over 10 (10.0), 乙科 1 over 4 (25.0).
            Self.day("a", "2026-11-02", scheduled: [Self.x: 10, Self.y: 4],
                     [(Self.x, "1", .late, 7, .minor), (Self.y, "3", .missingIn, 0, .minor)]),
        ])
        #expect(b.ranking.map(\.unit) == [UnitPath(Self.y), UnitPath(Self.x)])
        #expect(b.ranking.map(\.rank) == [1, 2])
        let x = try #require(b.units.first { $0.unit == UnitPath(Self.x) })
        #expect(x.score == 10 && x.previousScore == 12.5 && x.scoreChange == -2.5)
        #expect(x.line(.late).previousRate == 12.5 && x.line(.late).change == -2.5 && x.previousScheduled == 8)
        let y = try #require(b.units.first { $0.unit == UnitPath(Self.y) })
        #expect(y.score == 25 && y.previousScore == 0 && y.scoreChange == 25)
        // 局: 2 / 14 = 14.29 now, 1 / 12 = 8.33 before.
        #expect(b.totals.score == 14.29 && b.totals.previousScore == 8.33 && b.totals.scoreChange == 5.95)
    }

    @Test("a unit with nothing scheduled last month has no previous figures")
    func noPreviousMonth() async throws {
        let b = try await Self.bulletin([Self.day("a", "2026-11-02", scheduled: [Self.x: 10], [(Self.x, "1", .late, 7, .minor)])])
        #expect(b.totals.previousScore == nil && b.totals.scoreChange == nil && b.totals.line(.late).change == nil)
        #expect(BulletinProse(b, .zh).opening.contains("上月无可比数据"))
    }

    @Test("HR-excused anomalies leave the counts but stay listed as excused; leave-excused ones are not serious cases")
    func excused() async throws {
        let late = Self.day("a", "2026-11-02", scheduled: [Self.x: 10], [(Self.x, "1", .late, 70, .critical)], leave: [(Self.x, "2")])
        let id = late.anomalies.first { $0.kind == .late }!.id
        let b = try await Self.bulletin([late]) { store in
            _ = try await store.review(ReviewDecision(anomalyID: id, state: .excused, note: "公务", by: "hr",
                                                      at: ReportFixture.utc(2026, 11, 3, 0)))
        }
        #expect(b.totals.charged == 0 && b.totals.excused == 1)
        #expect(b.seriousCases.map(\.id) == [id] && b.seriousCases[0].review == .excused && b.seriousCases[0].reviewNote == "公务")
        #expect(b.repeatCases.isEmpty)
    }

    @Test("repeat cases: three or more late/early together, any absence or off post; thresholds configurable")
    func repeatThresholds() {
        let u = UnitPath(Self.x)
        let tallies = [
            PersonKindCount(person: "1", name: "甲", unit: u, kind: .late, count: 2, minutes: 20),
            PersonKindCount(person: "1", name: "甲", unit: u, kind: .earlyLeave, count: 1, minutes: 5),
            PersonKindCount(person: "2", name: "乙", unit: u, kind: .late, count: 2, minutes: 90),
            PersonKindCount(person: "3", name: "丙", unit: u, kind: .absent, count: 1, minutes: 450),
            PersonKindCount(person: "4", name: "丁", unit: u, kind: .offPost, count: 2, minutes: 50),
            PersonKindCount(person: "5", name: "戊", unit: u, kind: .missingIn, count: 6, minutes: 0),
        ]
        let byDefault = BulletinBuilder.repeatCases(tallies, settings: BulletinSettings())
        #expect(byDefault.map(\.person) == ["3", "4", "1"])
        #expect(byDefault[2].reasons == ["late_early"] && byDefault[2].minutesLate == 25)
        #expect(byDefault[1].reasons == ["off_post"] && byDefault[1].minutesAway == 50)
        var stricter = BulletinSettings()
        stricter.repeatLateEarly = 4
        stricter.repeatAbsent = 2
        stricter.repeatOffPost = 2
        #expect(BulletinBuilder.repeatCases(tallies, settings: stricter).map(\.person) == ["4"])
        var looser = BulletinSettings()
        looser.repeatLateEarly = 2
        #expect(BulletinBuilder.repeatCases(tallies, settings: looser).map(\.person) == ["3", "4", "1", "2"])
    }

    @Test("completeness: days elapsed before today, from the agent's registration, missing days listed")
    func completeness() {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let month = ReportMonth("2026-11")!
        func agent(_ id: String, created: Date, revoked: Date? = nil) -> AgentRecord {
            AgentRecord(id: id, unitPrefixes: [UnitPath("局")], tokenHash: "h", createdAt: created, revokedAt: revoked)
        }
        let days = { (list: [Int]) in list.map { CivilDate(year: 2026, month: 11, day: $0)! } }
        let health = [
            AgentHealth(agent: agent("old", created: ReportFixture.utc(2026, 1, 1, 0)), datesReceived: days([1, 2, 3, 5, 6, 7, 9, 10])),
            // Registered 3 November 10:00 Shanghai.
            AgentHealth(agent: agent("new", created: ReportFixture.utc(2026, 11, 3, 2)), datesReceived: days([3, 4, 5, 6, 7, 8, 9])),
            // Revoked 4 November: nothing due after that day.
            AgentHealth(agent: agent("gone", created: ReportFixture.utc(2026, 1, 1, 0), revoked: ReportFixture.utc(2026, 11, 4, 1)),
                        datesReceived: days([1, 2])),
            AgentHealth(agent: agent("later", created: ReportFixture.utc(2026, 12, 1, 0)), datesReceived: []),
            // Registered on the 8th but sent from the 5th (a backfill): owes the 5th to the 9th.
            AgentHealth(agent: agent("backfill", created: ReportFixture.utc(2026, 11, 8, 2)), datesReceived: days([5, 7, 8, 9])),
        ]
        // 10 November 09:00 in Shanghai: 1–9 November are due.
        let now = ReportFixture.utc(2026, 11, 10, 1)
        let c = BulletinBuilder.completeness(health, month: month, under: nil, today: BulletinBuilder.localDate(of: now, in: zone),
                                             zone: zone)
        #expect(c.map(\.agent) == ["gone", "old", "backfill", "new"])
        #expect(c[2].expectedDays == 5 && c[2].receivedDays == 4 && c[2].missing == days([6]))
        let old = c[1]
        #expect(old.expectedDays == 9 && old.receivedDays == 7 && old.missing == days([4, 8]) && old.percent == 77.8)
        #expect(c[3].expectedDays == 7 && c[3].missing.isEmpty && c[3].percent == 100)
        #expect(c[0].expectedDays == 4 && c[0].missing == days([3, 4]) && c[0].revoked)
        #expect(BulletinProse(Self.empty(completeness: c), .zh).days(old.missing) == "4、8日")
        #expect(BulletinProse(Self.empty(completeness: c), .zh).days(days([3, 4, 5, 9])) == "3—5、9日")
        // Out of scope: an agent granted elsewhere is left out under --unit.
        let scoped = BulletinBuilder.completeness(health, month: month, under: UnitPath("别的局"), today: CivilDate("2026-11-10")!, zone: zone)
        #expect(scoped.isEmpty)
    }

    @Test("a month without data still renders, saying so")
    func emptyMonth() async throws {
        let b = try await Self.bulletin([])
        #expect(b.units.isEmpty && b.ranking.isEmpty && b.totals.scheduled == 0 && b.totals.depth == -1)
        for lang in Language.allCases {
            for format in BulletinCommand.Format.allCases {
                #expect(!(try BulletinCommand.render(b, format: format, language: lang)).isEmpty)
            }
        }
        let html = BulletinHTMLRenderer.render(b)
        // No data is not "no anomalies": the month's days are named as days without data.
        #expect(html.contains("本月没有可以核实的考勤数据") && html.contains("本月各单位均无可核实的考勤数据"))
        #expect(!html.contains("未发现") && !html.contains("<svg") && html.contains("11月1—30日无考勤数据"))
    }

    @Test("a month that is not YYYY-MM is refused")
    func badMonth() async throws {
        await #expect(throws: BulletinError.badMonth("2026-13")) {
            _ = try await ReportFixture.withSQLite { store in
                try await BulletinBuilder.build(month: "2026-13", under: nil, store: store, settings: BulletinSettings(),
                                                now: ReportFixture.now)
            }
        }
        #expect(ReportMonth("2026-1") == nil && ReportMonth("2026-00") == nil && ReportMonth("2026-12")?.previous == ReportMonth("2026-11"))
        #expect(ReportMonth("2026-01")?.previous.description == "2025-12" && ReportMonth("2028-02")?.last.description == "2028-02-29")
    }

    /// A bulletin with nothing in it but `completeness`.
    static func empty(completeness: [AgentCompleteness]) -> Bulletin {
        let unit = BulletinBuilder.line(for: UnitFigures(unit: UnitPath("局"), scheduled: 0, present: 0, excused: 0, unverified: 0, kinds: [:]),
                                        previous: nil, depth: 0)
        return Bulletin(month: ReportMonth("2026-11")!, from: CivilDate("2026-11-01")!, to: CivilDate("2026-11-30")!, scope: nil,
                        organization: "局", office: nil, documentNumber: "", issuedOn: CivilDate("2026-12-01")!,
                        generatedAt: ReportFixture.now, settings: BulletinSettings(), totals: unit, units: [unit], ranking: [],
                        repeatCases: [], seriousCases: [], completeness: completeness, review: ReviewCounts(),
                        daysWithoutData: completeness.filter { !$0.missing.isEmpty }.map {
                            DataGap(agent: $0.agent, units: $0.units, dates: $0.missing)
                        })
    }
}
