import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The console's small rules: working days, sign-in delays, forms, redirects, passwords.
@Suite struct ConsoleHelperTests {
    static func day(_ d: Int) -> CivilDate { CivilDate(year: 2026, month: 11, day: d)! }

    @Test func overdueCountsWorkingDaysOnly() {
        // Tuesday 10 November: five working days back is Tuesday 3, so Monday 2 and earlier are overdue.
        #expect(WorkingDays.overdueThrough(today: Self.day(10), reviewDays: 5) == Self.day(2))
        // Monday 9: Monday 2 has waited exactly five working days, not more.
        #expect(WorkingDays.overdueThrough(today: Self.day(9), reviewDays: 5) == Self.day(1))
        // A Saturday counts from the Friday before.
        #expect(WorkingDays.overdueThrough(today: Self.day(14), reviewDays: 1) == Self.day(12))
    }

    /// National Day 2026 as the holiday-cn file gives it: 1-7 October off, Saturday 10 October a
    /// make-up working day (调休).
    static let nationalDay2026 = Data("""
        {"year":2026,"days":[
        {"name":"国庆节","date":"2026-10-01","isOffDay":true},{"name":"国庆节","date":"2026-10-02","isOffDay":true},
        {"name":"国庆节","date":"2026-10-03","isOffDay":true},{"name":"国庆节","date":"2026-10-04","isOffDay":true},
        {"name":"国庆节","date":"2026-10-05","isOffDay":true},{"name":"国庆节","date":"2026-10-06","isOffDay":true},
        {"name":"国庆节","date":"2026-10-07","isOffDay":true},{"name":"国庆节","date":"2026-10-10","isOffDay":false}]}
        """.utf8)

    @Test func overdueSkipsTheHolidaysOfTheCalendar() throws {
        let october = { (d: Int) in CivilDate(year: 2026, month: 10, day: d)! }
        let calendar = try HolidayCN.parse(Self.nationalDay2026)
        // Monday 12 October, five working days: Saturday 10 (调休), Friday 9, Thursday 8, then the
        // holiday week is skipped: Wednesday 30 and Tuesday 29 September. Nothing of October is overdue.
        let withCalendar = ReviewSettings(reviewDays: 5,
                                          holidays: ReviewHolidays(calendar: calendar, files: ["holidays/2026.json"]))
        #expect(withCalendar.overdueThrough(today: october(12)) == CivilDate(year: 2026, month: 9, day: 28)!)
        // Without it, Monday to Friday: 9, 8, 7, 6, 5 October, so the first days of the holiday
        // would be overdue although nobody was at work to review them.
        #expect(ReviewSettings(reviewDays: 5).overdueThrough(today: october(12)) == october(4))
        // Outside the calendar's dates it is Monday to Friday as before.
        #expect(withCalendar.overdueThrough(today: Self.day(10)) == Self.day(2))
    }

    @Test func signInDelaysGrowAndResetWithTheWindow() {
        #expect((0...2).map { SignInThrottle.delay(afterFailures: $0, free: 3) } == [0, 0, 0])
        #expect((3...6).map { SignInThrottle.delay(afterFailures: $0, free: 3) } == [5, 10, 20, 40])
        #expect(SignInThrottle.delay(afterFailures: 40, free: 3) == 900)
        let now = Date(timeIntervalSince1970: 1_000_000)
        let failures = SignInFailures(account: 3, lastForAccount: now.addingTimeInterval(-2), address: 3,
                                      lastForAddress: now.addingTimeInterval(-2))
        #expect(SignInThrottle.wait(failures, now: now) == 3)
        #expect(SignInThrottle.wait(failures, now: now.addingTimeInterval(3)) == 0)
        let crowded = SignInFailures(account: 0, lastForAccount: nil, address: 11, lastForAddress: now)
        #expect(SignInThrottle.wait(crowded, now: now) == 10)
    }

    @Test func formsDecodePlusesEscapesAndRepeats() {
        let form = ConsoleForm(encoded: "note=%E5%B1%9E%E5%AE%9E+%E5%B7%B2%E6%A0%B8&id=a&id=b&empty=&bare")
        #expect(form["note"] == "属实 已核")
        #expect(form.all("id") == ["a", "b"])
        #expect(form["empty"] == "" && form.trimmed("empty") == nil)
        #expect(form["bare"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func redirectsStayOnTheSite() {
        #expect(ConsoleLinks.localTarget("/reviews?page=2") == "/reviews?page=2")
        for target in ["//evil.example", "https://evil.example", "/\\evil.example", "reviews", "/a\nb", nil] {
            #expect(ConsoleLinks.localTarget(target) == nil, "\(String(describing: target))")
        }
        #expect(ConsoleLinks.tokensMatch("abc", "abc"))
        #expect(!ConsoleLinks.tokensMatch("abc", "abd") && !ConsoleLinks.tokensMatch("", "") && !ConsoleLinks.tokensMatch("a", nil))
    }

    @Test func passwordRulesAndGeneratedPasswords() {
        #expect(Passwords.problem(with: "short", name: "li") != nil)
        #expect(Passwords.problem(with: "12345678901", name: "li") != nil)
        #expect(Passwords.problem(with: "wangmin-2026-x", name: "WangMin") != nil)
        #expect(Passwords.problem(with: String(repeating: "密", count: 30), name: "li") != nil, "over 72 bytes")
        #expect(Passwords.problem(with: "correct-horse-battery", name: "li") == nil)
        let generated = Passwords.generate()
        #expect(generated.count == 16 && Passwords.problem(with: generated, name: "li") == nil)
        #expect(!generated.contains { "0O1lI".contains($0) })
        #expect(Passwords.generate() != generated)
    }

    @Test func scopeOfEachRole() {
        func user(_ role: UserRole, units: [String] = [], person: String? = nil) -> ConsoleUser {
            ConsoleUser(account: UserAccount(id: 1, name: "u", role: role, units: units.map(UnitPath.init), person: person,
                                             passwordHash: "", createdAt: .distantPast, passwordChangedAt: .distantPast),
                        csrf: "")
        }
        let squad = UnitPath("局/大队/一中队"), other = UnitPath("局/办公室")
        #expect(user(.admin).sees(unit: other) && user(.hr).sees(unit: other))
        #expect(user(.hr, units: ["局/大队"]).sees(unit: squad) && !user(.hr, units: ["局/大队"]).sees(unit: other))
        #expect(!user(.manager, units: ["局/大队/一中队"]).sees(unit: UnitPath("局/大队")), "a parent is outside a subtree")
        #expect(!user(.staff, person: "7").sees(unit: squad))
        #expect(user(.staff, person: "7").sees(person: "7", unit: squad) && !user(.staff, person: "7").sees(person: "8", unit: squad))
        #expect(user(.staff).anomalyFilter.personID != nil, "a staff account without a person sees nobody")
        #expect(!user(.manager, units: ["局"]).mayReview && user(.hr).mayReview)
    }

    /// The timeline's labels: the shift's name and every punch's "n hh:mm" above the bar, in rows
    /// such that no two labels of a row overlap (the example office's night duty, whose first
    /// punch at 20:17 sat on the shift's label), and a suspected away interval marked so.
    @Test func timelineLabelsNeverOverlap() throws {
        let date = Self.day(4)
        let start = LocalDateTime(date: date, secondsOfDay: 20 * 3600)
        let end = LocalDateTime(date: date.adding(days: 1), secondsOfDay: 8 * 3600)
        let punches = [20 * 3600 + 17 * 60, 20 * 3600 + 19 * 60, 20 * 3600 + 25 * 60, 23 * 3600].enumerated().map { i, t in
            Evidence(file: "badges/3_attlog.dat", line: 36 + i, time: LocalDateTime(date: date, secondsOfDay: t), reader: "3")
        }
        var a = Anomaly(id: "x", person: "10001", name: "胡建军", unit: UnitPath("局/办公室"), date: date, shift: "night-duty",
                        shiftName: "夜间值班", duty: true, kind: .offPost, minutes: 515, severity: .critical, excused: false, reason: nil,
                        expectedStart: start, expectedEnd: end, awayFrom: LocalDateTime(date: date, secondsOfDay: 23 * 3600),
                        awayTo: end, evidence: punches)
        a.suspected = true
        let model = DayTimeline(anomalies: [a], focus: "x", language: .zh).model
        let windows = try #require(model["windows"] as? [[String: Any]])
        let dots = try #require(model["punches"] as? [[String: Any]])
        #expect(windows.first?["label"] as? String == "夜间值班 20:00–08:00")
        #expect(dots.count == 4)
        // Every label as (row baseline, from, to); two on one baseline must not meet.
        var placed: [(String, Double, Double)] = []
        if let w = windows.first, let x = Double(w["x"] as? String ?? ""), let y = w["labelY"] as? String {
            placed.append((y, x, x + DayTimeline.labelWidth("夜间值班 20:00–08:00")))
        }
        for d in dots {
            let x = try #require(Double(d["x"] as? String ?? ""))
            let width = DayTimeline.labelWidth("\(d["n"] as? Int ?? 0) \(d["label"] as? String ?? "")")
            placed.append((try #require(d["labelY"] as? String), x - width / 2, x + width / 2))
        }
        #expect(placed.count == 5)
        for i in placed.indices {
            for j in placed.indices where j > i && placed[i].0 == placed[j].0 {
                #expect(placed[i].2 <= placed[j].1 || placed[j].2 <= placed[i].1, "labels \(i) and \(j) overlap")
            }
        }
        // The 20:17 punch does not share the shift label's row; the 23:00 one, far from both, does.
        #expect(dots[0]["labelY"] as? String != windows[0]["labelY"] as? String)
        #expect(Set(placed.map(\.0)).count >= 3)
        let away = try #require((model["away"] as? [[String: Any]])?.first)
        #expect(away["suspected"] as? Bool == true)
        #expect(away["label"] as? String == "存疑待核 23:00–08:00")
        #expect(DayTimeline.rows([(0, 10), (5, 15), (10, 20), (12, 30)]) == [0, 1, 0, 2])
    }
}
