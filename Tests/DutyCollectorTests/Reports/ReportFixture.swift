import Foundation
import Shared
@testable import DutyCollector

/// A small bureau over two months (October and November 2026), stored through a real SQLite
/// store exactly as agents would send it: three agents, five units, day summaries for every day,
/// a handful of anomalies with HR decisions, days an agent never sent and a reader outage.
enum ReportFixture {
    /// 2026-12-01 09:00 in Shanghai: the bulletin for November is built the morning after.
    static let now = utc(2026, 12, 1, 1)

    static let office = "市场监管局/办公室"
    static let registry = "市场监管局/登记注册科"
    static let squad1 = "市场监管局/综合执法大队/一中队"
    static let squad2 = "市场监管局/综合执法大队/二中队"
    static let branch = "市场监管局/城东分局"

    /// People per unit (the day shift); 一中队 also has one person on night duty every day.
    static let staff: [(unit: String, people: [(String, String)])] = [
        (office, [("1001", "张伟"), ("1002", "李娜"), ("1003", "黄丽"), ("1004", "何军")]),
        (registry, [("2001", "王芳"), ("2002", "刘洋"), ("2003", "郑爽")]),
        (squad1, [("3001", "陈刚"), ("3002", "赵磊"), ("3003", "钱进"), ("3004", "冯涛"), ("3005", "韩梅")]),
        (squad2, [("3101", "孙强"), ("3102", "周敏"), ("3103", "吕航"), ("3104", "许诺")]),
        (branch, [("4001", "吴静"), ("4002", "沈冰"), ("4003", "马骁")]),
    ]

    /// (agent, unit prefixes, registered at).
    static let agents: [(String, [String], Date)] = [
        ("sjj-hq", [office, registry], utc(2026, 9, 1, 0)),
        ("zfdd", ["市场监管局/综合执法大队"], utc(2026, 9, 1, 0)),
        ("cd-branch", [branch], utc(2026, 10, 31, 16)),
    ]

    /// One anomaly as the fixture writes it.
    struct Case {
        var date: String
        var person: String
        var kind: AnomalyKind
        var minutes: Int
        var severity: Severity
        var duty = false
        var leave: String? = nil
    }

    static let cases: [Case] = [
        // November.
        Case(date: "2026-11-03", person: "1001", kind: .late, minutes: 12, severity: .minor),
        Case(date: "2026-11-10", person: "1001", kind: .late, minutes: 8, severity: .minor),
        Case(date: "2026-11-17", person: "1001", kind: .late, minutes: 35, severity: .serious),
        Case(date: "2026-11-05", person: "1002", kind: .earlyLeave, minutes: 20, severity: .minor),
        Case(date: "2026-11-12", person: "2001", kind: .absent, minutes: 450, severity: .critical),
        Case(date: "2026-11-04", person: "2002", kind: .missingOut, minutes: 0, severity: .minor),
        Case(date: "2026-11-08", person: "3001", kind: .offPost, minutes: 40, severity: .critical, duty: true),
        Case(date: "2026-11-03", person: "3002", kind: .late, minutes: 65, severity: .critical),
        Case(date: "2026-11-19", person: "3003", kind: .late, minutes: 6, severity: .minor),
        Case(date: "2026-11-26", person: "3003", kind: .missingIn, minutes: 0, severity: .minor),
        Case(date: "2026-11-06", person: "3101", kind: .late, minutes: 7, severity: .minor),
        Case(date: "2026-11-13", person: "3101", kind: .late, minutes: 9, severity: .minor),
        Case(date: "2026-11-20", person: "3101", kind: .earlyLeave, minutes: 15, severity: .minor),
        Case(date: "2026-11-18", person: "3102", kind: .absent, minutes: 450, severity: .critical, leave: "病假"),
        Case(date: "2026-11-24", person: "4001", kind: .late, minutes: 10, severity: .minor),
        // October.
        Case(date: "2026-10-14", person: "1001", kind: .late, minutes: 9, severity: .minor),
        Case(date: "2026-10-21", person: "1003", kind: .late, minutes: 15, severity: .minor),
        Case(date: "2026-10-08", person: "2003", kind: .missingIn, minutes: 0, severity: .minor),
        Case(date: "2026-10-09", person: "3001", kind: .late, minutes: 12, severity: .minor),
        Case(date: "2026-10-12", person: "3002", kind: .late, minutes: 20, severity: .minor),
        Case(date: "2026-10-15", person: "3003", kind: .late, minutes: 31, severity: .serious),
        Case(date: "2026-10-20", person: "3004", kind: .earlyLeave, minutes: 10, severity: .minor),
        Case(date: "2026-10-27", person: "3005", kind: .absent, minutes: 450, severity: .critical),
    ]

    /// Days cd-branch never sent, and its day without a single punch.
    static let branchMissing: Set = ["2026-11-14", "2026-11-15", "2026-11-16", "2026-11-27"]
    static let branchSilent = "2026-11-25"

    /// Fills `store` with both months and the HR decisions.
    static func load(into store: any CollectorStore) async throws {
        for (id, prefixes, created) in agents {
            try await store.addAgent(AgentRecord(id: id, unitPrefixes: prefixes.map(UnitPath.init), tokenHash: "hash-\(id)",
                                                 createdAt: created))
        }
        for month in [ReportMonth(year: 2026, month: 10)!, ReportMonth(year: 2026, month: 11)!] {
            for n in month.first.dayNumber...month.last.dayNumber {
                let date = CivilDate(dayNumber: n)
                for (agent, prefixes, created) in agents {
                    guard date >= BulletinBuilder.localDate(of: created, in: TimeZone(identifier: "Asia/Shanghai")!),
                          !(agent == "cd-branch" && branchMissing.contains(date.description)) else { continue }
                    let s = summary(agent: agent, prefixes: prefixes, date: date)
                    _ = try await store.store(s, receivedAt: utc(2026, date.month, date.components.day, 18))
                }
            }
        }
        _ = try await store.review(ReviewDecision(anomalyID: id(of: "3002", "2026-11-03", .late), state: .excused,
                                                  note: "交通管制，已核实", by: "人事科王敏", at: utc(2026, 11, 4, 2)))
        _ = try await store.review(ReviewDecision(anomalyID: id(of: "2001", "2026-11-12", .absent), state: .confirmed,
                                                  note: "已谈话提醒", by: "人事科王敏", at: utc(2026, 11, 13, 2)))
    }

    /// Whether people work the day shift on `date`: weekdays, without 1–7 October, with Saturday 10 October.
    static func isWorkday(_ date: CivilDate) -> Bool {
        let s = date.description
        if s >= "2026-10-01" && s <= "2026-10-07" { return false }
        if s == "2026-10-10" { return true }
        return date.weekday != .sat && date.weekday != .sun
    }

    /// One agent's day summary.
    static func summary(agent: String, prefixes: [String], date: CivilDate) -> DaySummary {
        var units: [UnitDayFigures] = []
        var anomalies: [Anomaly] = []
        var quality: [QualityItem] = []
        for (unit, people) in staff where prefixes.contains(where: { UnitPath(unit).isWithin(UnitPath($0)) }) {
            var f = UnitDayFigures(unit: UnitPath(unit))
            f.scheduled = isWorkday(date) ? people.count : 0
            if unit == squad1 { f.scheduled += 1 }
            let today = cases.filter { c in c.date == date.description && people.contains { $0.0 == c.person } }
            for c in today {
                let name = people.first { $0.0 == c.person }!.1
                anomalies.append(anomaly(c, name: name, unit: unit, agent: agent))
                if c.leave != nil {
                    f.excused += 1
                } else {
                    f.kinds[c.kind, default: KindFigures()].count += 1
                    f.kinds[c.kind, default: KindFigures()].minutes += c.minutes
                }
            }
            if unit == branch && date.description == branchSilent {
                f.unverified = f.scheduled
                quality.append(QualityItem(kind: .readerSilent, date: date, count: f.scheduled,
                                           message: "读卡器当日无任何打卡记录，\(f.scheduled)个班次未核验"))
            }
            let absent = today.filter { $0.kind == .absent && $0.leave == nil }.count
            f.present = f.scheduled - f.excused - f.unverified - absent
            units.append(f)
        }
        return DaySummary(agent: agent, site: agent, date: date, revision: 1, generatedAt: utc(2026, date.month, date.components.day, 17),
                          units: units, anomalies: anomalies, quality: quality)
    }

    /// The stable id the fixture gives an anomaly.
    static func id(of person: String, _ date: String, _ kind: AnomalyKind) -> String {
        let c = cases.first { $0.person == person && $0.date == date && $0.kind == kind }!
        let agent = agents.first { a in a.1.contains { UnitPath(unit(of: person)).isWithin(UnitPath($0)) } }!.0
        return StableID.anomaly(site: agent, person: person, date: CivilDate(date)!, shift: c.duty ? "night-duty" : "day",
                                kind: kind, start: start(of: c))
    }

    static func unit(of person: String) -> String { staff.first { $0.people.contains { $0.0 == person } }!.unit }

    static func start(of c: Case) -> LocalDateTime {
        LocalDateTime(date: CivilDate(c.date)!, secondsOfDay: c.duty ? 20 * 3600 : 9 * 3600)
    }

    /// The anomaly with evidence that fits its kind and minutes.
    static func anomaly(_ c: Case, name: String, unit: String, agent: String) -> Anomaly {
        let date = CivilDate(c.date)!
        let start = start(of: c)
        let end = c.duty ? LocalDateTime(date: date.adding(days: 1), secondsOfDay: 8 * 3600)
                         : LocalDateTime(date: date, secondsOfDay: 17 * 3600 + 1800)
        let file = "badges/\(agent)_attlog.dat"
        func punch(_ t: LocalDateTime, _ line: Int, _ dir: PunchDirection? = nil) -> Evidence {
            Evidence(file: file, line: line, time: t, reader: c.duty ? "duty-room" : "1", direction: dir)
        }
        var evidence: [Evidence] = []
        var awayFrom: LocalDateTime?, awayTo: LocalDateTime?
        switch c.kind {
        case .late: evidence = [punch(start.adding(minutes: c.minutes).adding(seconds: -20), 120), punch(end.adding(minutes: 3), 188)]
        case .earlyLeave: evidence = [punch(start.adding(minutes: -6), 121), punch(end.adding(minutes: -c.minutes), 190)]
        case .missingOut: evidence = [punch(start.adding(minutes: -4), 122)]
        case .missingIn: evidence = [punch(end.adding(minutes: 2), 191)]
        case .offPost:
            awayFrom = LocalDateTime(date: date, secondsOfDay: 23 * 3600 + 10 * 60)
            awayTo = awayFrom!.adding(minutes: c.minutes)
            evidence = [punch(start.adding(minutes: -2), 130), punch(awayFrom!, 131), punch(awayTo!, 132), punch(end.adding(minutes: 1), 133)]
        case .absent: evidence = []
        }
        return Anomaly(id: StableID.anomaly(site: agent, person: c.person, date: date, shift: c.duty ? "night-duty" : "day",
                                            kind: c.kind, start: start),
                       person: c.person, name: name, unit: UnitPath(unit), date: date, shift: c.duty ? "night-duty" : "day",
                       shiftName: c.duty ? "夜间值班" : "日间班", duty: c.duty, kind: c.kind, minutes: c.minutes, severity: c.severity, excused: c.leave != nil,
                       reason: c.leave, expectedStart: start, expectedEnd: end, awayFrom: awayFrom, awayTo: awayTo,
                       evidence: evidence)
    }

    /// A UTC instant.
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(CivilDate(year: y, month: m, day: d)!.dayNumber * 86_400 + h * 3600))
    }

    /// Runs `body` with a new SQLite store in a temporary folder, closed and removed afterwards.
    static func withSQLite<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
