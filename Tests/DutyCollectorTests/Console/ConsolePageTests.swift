import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness
private typealias S = ConsoleScopeTests

/// What the pages say: figures, overdue counts, decisions, explanations, the timeline.
@Suite("Console pages")
struct ConsolePageTests {
    /// The number in the overview card `id`.
    static func card(_ html: String, _ id: String) -> Int? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let value = rest.range(of: "card-value\">") else { return nil }
        return Int(rest[value.upperBound...].prefix { $0.isNumber })
    }

    /// `[review] holidays`: days off of the calendar are not working days, and the cards say which
    /// rule counts; the bulletin page says when its figures were computed.
    @Test func theHolidayCalendarDecidesWhatIsOverdue() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let overview = try await hr.get("/?month=2026-11")
            #expect(Self.card(overview.text, "overdue-count") == 4)
            #expect(overview.text.contains("工作日按周一至周五计算（未配置节假日安排）"))
            let bulletin = try await hr.get("/bulletin?month=2026-11")
            #expect(bulletin.text.contains("id=\"bulletin-as-of\">数据截至 2026-11-18 19:06"))
        }
        // 4-13 November off (a made-up closure): from Wednesday 18 the five working days go back to
        // Friday 30 October, so nothing of 2 and 3 November is overdue yet.
        var off: [CivilDate: String] = [:]
        for d in 4...13 { off[Samples.day(d)] = "停工" }
        let calendar = HolidayCalendar(offDays: off)
        try await H.run(configure: { config in
            config.review.holidays = ReviewHolidays(calendar: calendar, files: ["holidays/2026.json"])
        }) { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let overview = try await hr.get("/?month=2026-11")
            #expect(Self.card(overview.text, "overdue-count") == 0)
            #expect(overview.text.contains("工作日按节假日安排计算（holidays/2026.json）"))
            #expect(try await hr.get("/bulletin?month=2026-11").text.contains("id=\"bulletin-overdue\">0<"))
            let queue = try await hr.get("/reviews")
            #expect(!queue.text.contains("row-overdue"))
        }
    }

    /// Thousands of repeat cases in a large month: the page lists the first 200 and says how many
    /// there are; the downloads have every one.
    @Test func theBulletinPageListsTheFirstRepeatCasesAndSaysHowMany() async throws {
        try await H.run { h in
            let count = BulletinRoutes.repeatCasesShown + 5
            let absences = (0..<count).map { i in
                Samples.anomaly(String(5000 + i), .absent, unit: H.squad1, date: Samples.day(2), minutes: 480, severity: .serious)
            }
            let summary = Samples.summary(date: Samples.day(2), units: [H.squad1, H.squad2], anomalies: absences)
            #expect(try await h.store.store(summary, receivedAt: h.clock.now) == .stored)
            let hr = try await h.signedIn("hr-all")
            let page = try await hr.get("/bulletin?month=2026-11").text
            #expect(page.contains("共 \(count) 人，此处按通报顺序列出前 \(BulletinRoutes.repeatCasesShown) 人，完整名单见上方下载。"))
            let table = page.components(separatedBy: "id=\"repeat-cases\"").last?.components(separatedBy: "</table>").first ?? ""
            #expect(table.components(separatedBy: "<tr>").count - 2 == BulletinRoutes.repeatCasesShown)
            let csv = try await hr.get("/bulletin/download/csv?month=2026-11").text
            #expect(csv.contains("张\(5000 + count - 1)"))
        }
    }

    @Test func reviewingFromTheQueueChangesTheOverview() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let before = try await hr.get("/")
            let bulletinBefore = try await hr.get("/bulletin?month=2026-11")
            #expect(bulletinBefore.text.contains("id=\"bulletin-charged\">4<"))
            #expect(bulletinBefore.text.contains("id=\"bulletin-overdue\">4<"))
            // The test clock is 2026-11-19: all four anomalies are open, this month, and overdue (5 working days).
            #expect(Self.card(before.text, "open-count") == 4)
            #expect(Self.card(before.text, "overdue-count") == 4)
            let queue = try await hr.get("/reviews")
            #expect(queue.text.contains("row-overdue"))
            #expect(queue.text.components(separatedBy: "name=\"id\"").count - 1 == 4)

            let csrf = try await hr.csrf()
            let missingNote = try await hr.post("/reviews", [("csrf", csrf), ("id", S.a1.id), ("state", "excused"), ("note", " ")])
            #expect(missingNote.status == .badRequest)
            #expect(missingNote.text.contains(ConsoleText.text("noteRequired", .zh)))
            let bulk = try await hr.post("/reviews", [("csrf", csrf), ("id", S.a1.id), ("id", S.a3.id), ("state", "excused"),
                                                      ("note", "公务外出，有审批单"), ("back", "/reviews?state=open")])
            #expect(bulk.status == .seeOther)
            #expect(bulk.headers[.location] == "/reviews?state=open&done=2")
            let after = try await hr.get("/")
            #expect(Self.card(after.text, "open-count") == 2)
            #expect(Self.card(after.text, "overdue-count") == 2)
            let bulletinAfter = try await hr.get("/bulletin?month=2026-11")
            #expect(bulletinAfter.text.contains("id=\"bulletin-charged\">2<"), "excused anomalies leave the bulletin's counts")
            #expect(bulletinAfter.text.contains("id=\"bulletin-overdue\">2<"))
            let csv = try await hr.get("/bulletin/download/csv?month=2026-11")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let decided = try await h.store.anomalies(AnomalyFilter(state: .excused))
            #expect(Set(decided.map(\.anomaly.id)) == [S.a1.id, S.a3.id])
            #expect(decided.allSatisfy { $0.reviewedBy == "hr-all" && $0.reviewNote == "公务外出，有审批单" })
            #expect(try await hr.get("/reviews?done=2").text.contains("已审核 2 条记录"))
        }
    }

    @Test func aStaffExplanationAppearsBesideTheEvidenceForHR() async throws {
        try await H.run { h in
            try await S.seed(h)
            let staff = try await h.signedIn("staff-1001")
            let page = try await staff.get("/anomalies/\(S.a1.id)")
            #expect(page.text.contains("explain-form") && !page.text.contains("review-form"))
            let sent = try await staff.post("/anomalies/\(S.a1.id)/explain", [("csrf", try await staff.csrf()),
                                                                              ("text", "地铁二号线故障停运，附运营公告")])
            #expect(sent.status == .seeOther)

            let hr = try await h.signedIn("hr-squad1")
            let seen = try await hr.get("/anomalies/\(S.a1.id)")
            #expect(seen.text.contains("地铁二号线故障停运，附运营公告"))
            #expect(seen.text.contains("staff-1001"))
            // The evidence: the punch with its reader, file and line, on the timeline and in the table.
            #expect(seen.text.contains("<svg class=\"timeline\""))
            #expect(seen.text.contains("punches/2026-11.csv") && seen.text.contains(">42<") && seen.text.contains("大门"))
            // The dot's hover names the file and line too, and the page says it shows only the
            // anomalies' punches: the day summary carries no other punch of the person's day.
            #expect(seen.text.contains("punches/2026-11.csv:42</title>"))
            #expect(seen.text.contains("id=\"punch-scope\"") && seen.text.contains("代理端上报的日汇总不含此人当日的其他打卡"))
            #expect(seen.text.contains("review-form"))
            let reviewed = try await hr.post("/anomalies/\(S.a1.id)/review", [("csrf", try await hr.csrf()), ("state", "confirmed"),
                                                                              ("note", "说明不成立，当日二号线正常运营")])
            #expect(reviewed.status == .seeOther)
            let history = try await hr.get("/anomalies/\(S.a1.id)?reviewed=1")
            #expect(history.text.contains("说明不成立") && history.text.contains(Vocabulary(.zh).review(.confirmed)))
            // Once reviewed, the staff member can no longer explain it.
            let closed = try await staff.post("/anomalies/\(S.a1.id)/explain", [("csrf", try await staff.csrf()), ("text", "补充")])
            #expect(closed.status == .badRequest)
            #expect(try await h.store.explanations(anomalyID: S.a1.id).count == 1)
        }
    }

    @Test func theQueueFiltersAndPages() async throws {
        try await H.run { h in
            // 120 late arrivals in 一中队 over three days, 40 a day.
            for day in 4...6 {
                let anomalies = (0..<40).map { Samples.anomaly("\(5000 + $0)", .late, unit: H.squad1, date: Samples.day(day)) }
                _ = try await h.store.store(Samples.summary(date: Samples.day(day), units: [H.squad1], anomalies: anomalies),
                                            receivedAt: h.clock.now)
            }
            let hr = try await h.signedIn("hr-all")
            let first = try await hr.get("/reviews")
            #expect(first.text.contains("共 120 条"))
            #expect(first.text.components(separatedBy: "name=\"id\"").count - 1 == 50)
            #expect(first.text.contains("1 / 3") && first.text.contains("page=2"))
            #expect(first.text.range(of: "2026-11-06")!.lowerBound < first.text.range(of: "2026-11-05")!.lowerBound, "newest first")
            let last = try await hr.get("/reviews?page=3")
            #expect(last.text.components(separatedBy: "name=\"id\"").count - 1 == 20)
            let oneDay = try await hr.get("/reviews?from=2026-11-05&to=2026-11-05&sort=oldest")
            #expect(oneDay.text.components(separatedBy: "name=\"id\"").count - 1 == 40)
            let person = try await hr.get("/reviews?person=5007")
            #expect(person.text.components(separatedBy: "name=\"id\"").count - 1 == 3)
            let none = try await hr.get("/reviews?kind=absent")
            #expect(none.text.contains("queue-empty"))
        }
    }

    @Test func thePersonCalendarAndTheUnitPage() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let calendar = try await hr.get("/people/1001?month=2026-11")
            #expect(calendar.status == .ok)
            // November 2026 starts on a Sunday: six blank cells lead, then day 1.
            #expect(calendar.text.components(separatedBy: "<td class=\"blank\">").count - 1 >= 6)
            #expect(calendar.text.contains("/anomalies/\(S.a1.id)") && calendar.text.contains("/anomalies/\(S.a3.id)"))
            #expect(!calendar.text.contains("/anomalies/\(S.a2.id)"))
            let unit = try await hr.get("/units?unit=\(H.brigade)&month=2026-11")
            #expect(unit.text.contains("一中队") && unit.text.contains("二中队"))
            #expect(unit.text.contains("/people/2001?month=2026-11"))
            // 2001 has an absence: a repeat case by the default threshold (one absence).
            #expect(unit.text.contains(ConsoleText.text("repeatCase", .zh)))
        }
    }

    @Test func theAdminAddsAUserAndAnAgentAndSeesEachSecretOnce() async throws {
        try await H.run { h in
            let admin = try await h.signedIn("admin")
            let csrf = try await admin.csrf()
            let added = try await admin.post("/users", [("csrf", csrf), ("name", "陈静"), ("role", "manager"),
                                                        ("units", "\(H.squad1)\n\(H.office)")])
            #expect(added.status == .ok)
            let password = try #require(Self.secret(added.text))
            #expect(try await h.store.user(name: "陈静")?.units.map(\.description) == [H.squad1, H.office])
            let newcomer = h.browser()
            #expect(try await newcomer.signIn("陈静", password).status == .seeOther)
            #expect(Self.secret(try await admin.get("/users").text) == nil, "the password is shown once")
            let refused = try await admin.post("/users", [("csrf", csrf), ("name", "x"), ("role", "manager")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("a manager needs at least one unit subtree"))

            let agent = try await admin.post("/agents", [("csrf", csrf), ("id", "office-c"), ("units", H.squad2)])
            let token = try #require(Self.secret(agent.text))
            #expect(try await h.store.agent(tokenHash: TokenHash.of(token))?.id == "office-c")
            #expect(try await admin.post("/agents/office-c/revoke", [("csrf", csrf)]).status == .seeOther)
            #expect(try await h.store.agent(tokenHash: TokenHash.of(token))?.revokedAt != nil)
            let events = try await h.store.events(kinds: [.userAdded], limit: 5)
            #expect(events.first?.subject == "陈静" && events.first?.actor == "admin")
        }
    }

    /// The secret in the "shown once" box of an admin page.
    static func secret(_ html: String) -> String? {
        guard let start = html.range(of: "<code id=\"secret\">") else { return nil }
        let rest = html[start.upperBound...]
        return rest.range(of: "</code>").map { String(rest[..<$0.lowerBound]) }
    }

    @Test func englishPagesUseTheSharedVocabulary() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            _ = try await hr.get("/lang?to=en&next=/")
            let queue = try await hr.get("/reviews")
            #expect(queue.text.contains(Vocabulary(.en).kind(.late)) && queue.text.contains(Vocabulary(.en).review(.open)))
            #expect(queue.text.contains("lang=\"en\"") && !queue.text.contains("待审核"))
        }
    }

    @Test func anUnknownPathIsTheConsoles404PageInTheUsersLanguage() async throws {
        try await H.run { h in
            let visitor = h.browser()
            let zh = try await visitor.get("/no/such/page")
            #expect(zh.status == .notFound)
            #expect(zh.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(zh.text.contains(ConsoleText.text("notFound", .zh)) && zh.text.contains("lang=\"zh-CN\""))
            #expect(zh.headers[.contentSecurityPolicy] == ConsoleContentPolicy<ConsoleRequestContext>.policy)
            _ = try await visitor.get("/lang?to=en&next=/")
            let en = try await visitor.get("/reports/nothing.html")
            #expect(en.status == .notFound)
            #expect(en.text.contains(ConsoleText.text("notFound", .en)) && en.text.contains("lang=\"en\""))
            // The JSON API keeps its JSON 404.
            let api = try await visitor.get("/api/v1/nothing")
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(!api.text.contains("<html"))
        }
    }
}
