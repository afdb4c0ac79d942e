import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness

/// The anomaly page's timeline with every punch of the day (summary schema 3): the punches the
/// anomaly does not rest on are drawn and listed with reader and file:line, the evidence marked;
/// an older summary says that only the anomalies' punches came.
@Suite("Console day punches")
struct ConsoleDayPunchesTests {
    /// 1001 late on 2026-11-02 (evidence: 09:12 at 大门, line 42), with the rest of the day.
    static let late = Samples.anomaly("1001", .late, unit: H.squad1, date: Samples.day(2))
    static let other = Samples.anomaly("2001", .absent, unit: H.squad2, date: Samples.day(2), minutes: 480, severity: .serious)

    static func punch(_ line: Int, _ h: Int, _ m: Int, _ reader: String, _ direction: PunchDirection) -> Evidence {
        Evidence(file: "punches/2026-11.csv", line: line, time: LocalDateTime(date: Samples.day(2), secondsOfDay: h * 3600 + m * 60),
                 reader: reader, direction: direction)
    }

    static func seed(_ h: ConsoleHarness, omitted: Int = 0, withDayPunches: Bool = true) async throws {
        let plain = Samples.summary(date: Samples.day(2), units: [H.squad1, H.squad2], anomalies: [late, other])
        let days = withDayPunches ? [
            PersonDayPunches(person: "1001", punches: [punch(42, 9, 12, "大门", .entrance), punch(77, 12, 5, "侧门", .exit),
                                                       punch(91, 13, 1, "侧门", .entrance), punch(160, 17, 3, "大门", .exit)],
                             omitted: omitted),
            PersonDayPunches(person: "2001", punches: []),
        ] : []
        let summary = DaySummary(agent: plain.agent, site: plain.site, date: plain.date, revision: 1, generatedAt: plain.generatedAt,
                                 units: plain.units, anomalies: plain.anomalies, quality: plain.quality, dayPunches: days)
        #expect(summary.schema == (withDayPunches ? 3 : 1))
        #expect(try await h.store.store(summary, receivedAt: h.clock.now) == .stored)
    }

    @Test func everyPunchOfTheDayIsDrawnAndListedWithReaderFileAndLine() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-all")
            let page = try await hr.get("/anomalies/\(Self.late.id)")
            #expect(page.status == .ok)
            let html = page.text
            // The lunch exit at 12:05 is no anomaly's evidence, yet it is on the timeline and in the table.
            #expect(html.contains("<title>2: 12:05 侧门 punches/2026-11.csv:77</title>"), "the dot's title")
            #expect(html.contains("<title>1: 09:12 大门 punches/2026-11.csv:42 · 依据</title>"), "the evidence dot is marked")
            #expect(html.contains("class=\"punch out plain\""), "a punch that is not evidence is drawn apart")
            let table = try #require(html.components(separatedBy: "id=\"evidence\"").last?.components(separatedBy: "</table>").first)
            #expect(table.components(separatedBy: "<tr").count - 2 == 4, "four rows under the header")
            #expect(table.contains("<td class=\"mono\">punches/2026-11.csv</td><td class=\"num\">77</td><td></td>"))
            #expect(table.contains("<td class=\"num\">42</td><td>依据</td>"))
            #expect(html.contains(ConsoleText.text("allDayPunches", .zh)))
            #expect(!html.contains(ConsoleText.text("evidencePunchesOnly", .zh)))
            #expect(!html.contains("punches-omitted"))

            // An absence: the day was looked at and holds no punch beyond the anomaly's own.
            let absent = try await hr.get("/anomalies/\(Self.other.id)")
            #expect(absent.text.contains(ConsoleText.text("allDayPunches", .zh)))
            #expect(absent.text.components(separatedBy: "<title>").count - 1 == 3, "two windows' titles and one dot")
        }
    }

    @Test func punchesLeftOutAreSaidInWords() async throws {
        try await H.run { h in
            try await Self.seed(h, omitted: 13)
            let hr = try await h.signedIn("hr-all")
            _ = try await hr.get("/lang?to=en&next=/")
            let page = try await hr.get("/anomalies/\(Self.late.id)")
            #expect(page.text.contains("id=\"punches-omitted\""))
            #expect(page.text.contains("13 more punches were past the limit"))
        }
    }

    @Test func anOlderSummaryShowsTheEvidenceAndSaysSo() async throws {
        try await H.run { h in
            try await Self.seed(h, withDayPunches: false)
            let page = try await h.signedIn("hr-all").get("/anomalies/\(Self.late.id)")
            #expect(page.text.contains(ConsoleText.text("evidencePunchesOnly", .zh)))
            #expect(page.text.contains("<title>1: 09:12 大门 punches/2026-11.csv:42</title>"))
            #expect(!page.text.contains(":77"))
        }
    }

    @Test func dayPunchesAreShownOnlyWhereTheAnomalyPageIs() async throws {
        try await H.run { h in
            try await Self.seed(h)
            for (user, status) in [("hr-squad1", HTTPResponse.Status.ok), ("staff-1001", .ok), ("manager-squad2", .notFound),
                                   ("staff-2001", .notFound)] {
                let page = try await h.signedIn(user).get("/anomalies/\(Self.late.id)")
                #expect(page.status == status, "\(user)")
                #expect(page.text.contains("csv:77") == (status == .ok), "\(user)")
            }
        }
    }
}
