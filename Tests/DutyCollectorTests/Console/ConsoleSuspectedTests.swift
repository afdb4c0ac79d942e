import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness
private typealias S = ConsoleScopeTests
private typealias P = ConsolePageTests

/// Suspected anomalies (存疑待核) in the console: first in the queue with their tag, a filter for
/// them, said plainly on their page, counted apart on the overview, confirmed into an off-post or
/// excused by HR, explained by the staff member; and shift names where a shift is shown.
@Suite("Console suspected anomalies")
struct ConsoleSuspectedTests {
    /// 1001 of 一中队 on the night duty of 2026-11-04: in at 20:00, out at 20:17, no entrance
    /// before the departure at 08:00 the next morning.
    static let suspicion: Anomaly = {
        let date = Samples.day(4)
        let start = LocalDateTime(date: date, secondsOfDay: 20 * 3600)
        let out = LocalDateTime(date: date, secondsOfDay: 20 * 3600 + 17 * 60)
        let end = LocalDateTime(date: date.adding(days: 1), secondsOfDay: 8 * 3600)
        var a = Anomaly(id: StableID.anomaly(site: "office-a", person: "1001", date: date, shift: "night-duty", kind: .offPost,
                                             start: out, suspected: true),
                        person: "1001", name: "张1001", unit: UnitPath(H.squad1), date: date, shift: "night-duty",
                        shiftName: "夜间值班", duty: true, kind: .offPost, minutes: 703, severity: .critical, excused: false,
                        reason: nil, expectedStart: start, expectedEnd: end, awayFrom: out, awayTo: end,
                        evidence: [Evidence(file: "punches/2026-11.csv", line: 77, time: start, reader: "值班室", direction: .entrance),
                                   Evidence(file: "punches/2026-11.csv", line: 78, time: out, reader: "大门", direction: .exit)])
        a.suspected = true
        return a
    }()

    static func seed(_ h: ConsoleHarness) async throws {
        try await S.seed(h)
        let summary = Samples.summary(date: Samples.day(4), units: [H.squad1], anomalies: [suspicion])
        #expect(summary.schema == 2)
        #expect(try await h.store.store(summary, receivedAt: h.clock.now) == .stored)
    }

    /// The ids of the queue's rows, in order.
    static func rowIDs(_ html: String) -> [String] {
        html.components(separatedBy: "data-id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    @Test func theQueueListsSuspicionsFirstWithTheirTagAndFiltersThem() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-all")
            let queue = try await hr.get("/reviews?sort=oldest")
            let ids = Self.rowIDs(queue.text)
            #expect(ids.count == 5)
            #expect(ids.first == Self.suspicion.id, "suspicions come first, whatever the sort")
            #expect(queue.text.contains("row-suspected"))
            #expect(queue.text.contains("<span class=\"tag tag-suspected\">\(Vocabulary(.zh).suspected)</span>"))
            // The shift's name, not its code.
            #expect(queue.text.contains("夜间值班") && !queue.text.contains(">night-duty"))
            #expect(Self.rowIDs(try await hr.get("/reviews?suspected=only").text) == [Self.suspicion.id])
            let others = Self.rowIDs(try await hr.get("/reviews?suspected=none").text)
            #expect(others.count == 4 && !others.contains(Self.suspicion.id))
            let bad = try await hr.get("/reviews?suspected=maybe")
            #expect(bad.text.contains("suspected") && bad.text.contains("alert-error"))
        }
    }

    @Test func theAnomalyPageSaysWhatIsSuspectedAndHRConfirmsItIntoAnOffPost() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-all")
            let before = try await hr.get("/")
            #expect(P.card(before.text, "suspected-count") == 1)
            #expect(P.card(before.text, "open-count") == 4, "the open card counts the suspicion apart")
            #expect(before.text.contains("存疑待核"))
            let bulletinBefore = try await hr.get("/bulletin?month=2026-11")
            #expect(bulletinBefore.text.contains("id=\"bulletin-charged\">4<"), "an open suspicion charges nobody")

            let page = try await hr.get("/anomalies/\(Self.suspicion.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"suspicion\""))
            #expect(page.text.contains("20:17") && page.text.contains("08:00"))
            #expect(page.text.contains("人事核实确认前，不计入任何统计"))
            #expect(page.text.contains("夜间值班"))
            #expect(page.text.contains("review-form"))

            let confirmed = try await hr.post("/anomalies/\(Self.suspicion.id)/review",
                                              [("csrf", try await hr.csrf()), ("state", "confirmed"), ("note", "监控显示20:17离开未返回")])
            #expect(confirmed.status == .seeOther)
            let after = try await hr.get("/anomalies/\(Self.suspicion.id)")
            #expect(after.text.contains(ConsoleText.text("suspectedConfirmedNote", .zh)))
            let overview = try await hr.get("/")
            #expect(P.card(overview.text, "suspected-count") == 0)
            let bulletinAfter = try await hr.get("/bulletin?month=2026-11")
            #expect(bulletinAfter.text.contains("id=\"bulletin-charged\">5<"), "confirmed, it counts as the off-post it is")
        }
    }

    @Test func anExcusedSuspicionCountsNowhere() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-squad1")
            let excused = try await hr.post("/reviews", [("csrf", try await hr.csrf()), ("id", Self.suspicion.id), ("state", "excused"),
                                                         ("note", "门禁故障，值班记录本有签到")])
            #expect(excused.status == .seeOther)
            let page = try await hr.get("/anomalies/\(Self.suspicion.id)")
            #expect(page.text.contains(ConsoleText.text("suspectedExcusedNote", .zh)))
            let all = try await h.signedIn("hr-all")
            #expect(P.card(try await all.get("/").text, "suspected-count") == 0)
            #expect(try await all.get("/bulletin?month=2026-11").text.contains("id=\"bulletin-charged\">4<"))
        }
    }

    @Test func theStaffMemberSeesTheirSuspicionAndExplainsIt() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let staff = try await h.signedIn("staff-1001")
            let own = try await staff.get("/me")
            #expect(own.text.contains("tag-suspected") && own.text.contains("夜间值班"))
            let page = try await staff.get("/anomalies/\(Self.suspicion.id)")
            #expect(page.text.contains("id=\"suspicion\"") && page.text.contains("explain-form"))
            let sent = try await staff.post("/anomalies/\(Self.suspicion.id)/explain",
                                            [("csrf", try await staff.csrf()), ("text", "20:17 去后院配电房检修，从后门返回，后门无读卡器")])
            #expect(sent.status == .seeOther)
            let other = try await h.signedIn("staff-2001")
            #expect(try await other.get("/anomalies/\(Self.suspicion.id)").status == .notFound)
            let hr = try await h.signedIn("hr-squad1")
            #expect(try await hr.get("/anomalies/\(Self.suspicion.id)").text.contains("后门无读卡器"))
        }
    }

    /// 限时办结 in every download of the bulletin, with the overview's figure (the suspicion,
    /// open and past the limit too, is in neither: it counts nowhere until confirmed).
    @Test func everyBulletinDownloadStatesTheOverviewsOverdueFigure() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-all")
            _ = try await hr.post("/reviews", [("csrf", try await hr.csrf()), ("id", S.a1.id), ("state", "confirmed"), ("note", "属实")])
            let overview = try await hr.get("/?month=2026-11")
            #expect(P.card(overview.text, "overdue-count") == 3)
            #expect(try await hr.get("/bulletin?month=2026-11").text.contains("id=\"bulletin-overdue\">3<"))
            let query = "month=2026-11&lang=zh"
            let markdown = try await hr.get("/bulletin/download/markdown?\(query)").text
            #expect(markdown.contains("尚有3条待审核，暂按系统比对结果计入，其中3条已超过5个工作日的办结时限"))
            let html = try await hr.get("/bulletin/download/html?\(query)").text
            #expect(html.contains("其中3条已超过5个工作日的办结时限"))
            let csv = try await hr.get("/bulletin/download/csv?\(query)").text
            #expect(csv.contains("# 审核情况\r\n项目,条数\r\n待审核,3\r\n已确认,1\r\n"))
            #expect(csv.contains("超期未办（5个工作日）,3\r\n"))
            let json = try await hr.get("/bulletin/download/json?\(query)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            let review = try #require(object["review"] as? [String: Any])
            #expect(review["overdue"] as? Int == 3 && review["review_days"] as? Int == 5 && review["open"] as? Int == 3)
            let english = try await hr.get("/bulletin/download/markdown?month=2026-11&lang=en").text
            #expect(english.contains("3 await review and count as the system found them, 3 of them past the time limit of 5 working days"))
        }
    }
}
