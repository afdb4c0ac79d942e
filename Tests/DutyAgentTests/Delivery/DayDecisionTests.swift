import Foundation
import Testing
@testable import DutyAgent
@testable import Shared

@Suite struct DayDecisionTests {
    /// Scenario 07-leaves (the repository's copy): 2026-11-02..04, shifts up to a night duty ending
    /// 08:00 the next day (its window closes at 10:00 with check_out_late 120).
    static let leavesOffice = BuiltAgent.scenarios.appendingPathComponent("07-leaves/agent.toml")

    /// `text` (yyyy-MM-dd HH:mm, Asia/Shanghai) as an instant.
    func shanghai(_ text: String) -> Date {
        let t = LocalDateTime(text)!
        return Date(timeIntervalSince1970: TimeInterval(t.seconds - 8 * 3600))
    }

    @Test func settledThroughCountsTheLatestWindowAndTheDelay() {
        let night = Shift(code: "n", kind: .duty, start: ClockTime("20:00")!, end: ClockTime("08:00")!)
        let day = Shift(code: "d", start: ClockTime("09:00")!, end: ClockTime("17:30")!)
        // Night duty of D ends D+1 08:00, its window D+1 10:00; plus 30 minutes.
        #expect(DayDecision.settledThrough([day, night], now: LocalDateTime("2026-11-04 10:30")!, settleMinutes: 30)
                == CivilDate("2026-11-03"))
        #expect(DayDecision.settledThrough([day, night], now: LocalDateTime("2026-11-04 10:29")!, settleMinutes: 30)
                == CivilDate("2026-11-02"))
        // Day shift only: D is settled at D 19:30 + delay.
        #expect(DayDecision.settledThrough([day], now: LocalDateTime("2026-11-04 19:30")!, settleMinutes: 0)
                == CivilDate("2026-11-04"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: leavesOffice.path), "needs ../shared/scenarios"))
    func datesAreDecidedBySettleDelayOrWatermarks() throws {
        let office = try Office.load(AgentConfig.load(path: Self.leavesOffice.path))
        let noon = DayDecision.decide(office, now: shanghai("2026-11-04 12:00"), settleMinutes: 30)
        #expect(noon.summaries.map(\.date.description) == ["2026-11-02", "2026-11-03"])
        #expect(noon.undecided.map(\.description) == ["2026-11-04"], "its shifts have not ended")
        let first = noon.summaries[0]
        #expect(first.agent == "07-leaves" && first.revision == 0)
        let charged = first.units.reduce(into: [AnomalyKind: KindFigures]()) { sum, unit in
            for (k, v) in unit.kinds { sum[k, default: KindFigures()].count += v.count; sum[k, default: KindFigures()].minutes += v.minutes }
        }
        #expect(charged == [.earlyLeave: KindFigures(count: 1, minutes: 10)])
        #expect(first.units.reduce(0) { $0 + $1.excused } >= 1, "the whole-day leave of 1001 excuses")

        let later = DayDecision.decide(office, now: shanghai("2026-11-06 00:00"), settleMinutes: 30)
        #expect(later.summaries.map(\.date.description) == ["2026-11-02", "2026-11-03", "2026-11-04"])
        #expect(later.undecided.map(\.description) == ["2026-11-05", "2026-11-06"],
                "no reader has reported past 11-05 and its settle delay has not passed")
        #expect(later.summaries[0].digest == noon.summaries[0].digest, "the same inputs give the same digest")
    }

    /// An unknown badge's item in a day's summary counts that day's punches, wherever the judging
    /// started: the daemon's incremental judging (from a later date) gives the same figures as a
    /// judging of the whole history. It used to put one item per badge on the first date judged,
    /// counting every date after it.
    @Test func anUnknownBadgeIsCountedPerDateWhereverTheJudgingStarts() throws {
        var files = ConfigFolder.defaultFiles
        var one = "", two = ""
        for day in 2...6 {
            one += String(format: "     1001\t2026-11-%02d 08:55:00\t1\t0\t1\t0\n     1001\t2026-11-%02d 17:40:00\t1\t1\t1\t0\n", day, day)
            two += String(format: "     1002\t2026-11-%02d 08:50:00\t2\t0\t1\t0\n     1002\t2026-11-%02d 17:45:00\t2\t1\t1\t0\n", day, day)
        }
        for time in ["2026-11-02 10:00:00", "2026-11-04 10:00:00", "2026-11-04 11:00:00", "2026-11-05 10:00:00"] {
            two += "     9999\t\(time)\t2\t0\t1\t0\n"
        }
        files["badges/1_attlog.dat"] = one
        files["badges/2_attlog.dat"] = two
        let folder = try ConfigFolder(ConfigFolder.validTOML, files: files)
        defer { folder.remove() }
        let office = try Office.load(AgentConfig.load(path: folder.configPath))
        let now = shanghai("2026-11-07 12:00")
        func unknown(_ decision: DayDecision) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            for s in decision.summaries {
                let counts = s.quality.filter { $0.kind == .unknownBadge && $0.badge == "9999" }.compactMap(\.count)
                if !counts.isEmpty { out[s.date.description] = counts }
            }
            return out
        }
        let whole = DayDecision.decide(office, now: now, settleMinutes: 0)
        let incremental = DayDecision.decide(office, now: now, settleMinutes: 0, judgeFrom: CivilDate("2026-11-04"))
        #expect(unknown(whole) == ["2026-11-02": [1], "2026-11-04": [2], "2026-11-05": [1]])
        #expect(unknown(incremental) == ["2026-11-04": [2], "2026-11-05": [1]])
        let lines = whole.summaries.first { $0.date == CivilDate("2026-11-04") }?.quality.compactMap(\.line)
        #expect(lines == [12], "the item points at that date's first punch of the badge")
        for date in ["2026-11-04", "2026-11-05", "2026-11-06"] {
            #expect(whole.summaries.first { $0.date.description == date }?.digest
                    == incremental.summaries.first { $0.date.description == date }?.digest, "\(date)")
        }
    }
}

/// One stray punch dated years back does not make the agent decide every date since.
@Suite struct HistoryBoundTests {
    @Test func datesOlderThanHistoryDaysAreNotDecidedAndTheCutIsSaid() throws {
        var files = ConfigFolder.defaultFiles
        files["badges/1_attlog.dat"]! += "     1001\t2001-03-05 08:00:00\t1\t0\t1\t0\n"
        let folder = try ConfigFolder(ConfigFolder.validTOML, files: files)
        defer { folder.remove() }
        let office = try Office.load(AgentConfig.load(path: folder.configPath))
        #expect(office.punchDates?.lowerBound == CivilDate("2001-03-05"))
        let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-29 in Shanghai
        let decision = DayDecision.decide(office, now: now, settleMinutes: 30, historyDays: 30)
        let today = Office.localNow(in: office.config.site.timeZone, at: now).date
        #expect(decision.range == today.adding(days: -29)...today)
        #expect(decision.olderPunchesFrom == CivilDate("2001-03-05"))
        #expect(decision.summaries.count + decision.undecided.count == 30)
        let all = DayDecision.decide(office, now: now, settleMinutes: 30, historyDays: 3_660)
        #expect(all.range?.lowerBound == today.adding(days: -3_659), "at most ten years, whatever the punches")
    }
}
