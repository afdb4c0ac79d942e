import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness
private typealias S = ConsoleScopeTests
private typealias P = ConsolePageTests

/// The kept figures after new data: the pages answer at once with the figures computed before a
/// summary arrived, saying so, and the current ones on the next request; a review shows at once;
/// the downloads and the API always give the current bulletin; an agent's contact alone leaves the
/// overview's figures kept.
@Suite("Console figures after new data")
struct ConsoleFiguresTests {
    /// One more open late arrival of 1002 in 一中队, on 4 November.
    static let late = Samples.anomaly("1002", .late, unit: H.squad1, date: Samples.day(4))

    static func storeOneMore(_ h: ConsoleHarness) async throws {
        let summary = Samples.summary(date: Samples.day(4), units: [H.squad1, H.squad2], anomalies: [late])
        #expect(try await h.store.store(summary, receivedAt: h.clock.now.addingTimeInterval(60)) == .stored)
    }

    @Test func afterANewSummaryTheOverviewShowsTheFiguresBeforeItSayingSoThenTheCurrentOnes() async throws {
        // A rebuild that is not done at once (`patience` zero: as in a large organisation).
        try await H.run(patience: .zero) { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let first = try await hr.get("/?month=2026-11").text
            let open = try #require(P.card(first, "open-count"))
            #expect(!first.contains("figures-pending"))
            let unitPage = try await hr.get("/units?month=2026-11&unit=\(H.squad1)").text
            #expect(!unitPage.contains("figures-pending"))

            try await Self.storeOneMore(h)
            let older = try await hr.get("/?month=2026-11").text
            #expect(P.card(older, "open-count") == open, "the figures computed before the summary")
            #expect(older.contains("id=\"figures-pending\">数据截至 2026-11-18 19:06 · 此后又收到新的数据"))
            #expect(try await hr.get("/units?month=2026-11&unit=\(H.squad1)").text.contains("figures-pending"))

            await h.caches.settle()
            let current = try await hr.get("/?month=2026-11").text
            #expect(P.card(current, "open-count") == open + 1)
            #expect(!current.contains("figures-pending"))
            let unitAfter = try await hr.get("/units?month=2026-11&unit=\(H.squad1)").text
            #expect(!unitAfter.contains("figures-pending") && unitAfter.contains("张1002"))
        }
    }

    @Test func theBulletinPageMayShowTheOlderBulletinSayingSoTheDownloadsAndTheAPINever() async throws {
        // A rebuild that is not done at once (`patience` zero: as in a large organisation).
        try await H.run(patience: .zero) { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let first = try await hr.get("/bulletin?month=2026-11").text
            #expect(first.contains("id=\"bulletin-charged\">4<") && !first.contains("figures-pending"))

            try await Self.storeOneMore(h)
            let older = try await hr.get("/bulletin?month=2026-11").text
            #expect(older.contains("id=\"bulletin-charged\">4<") && older.contains("id=\"figures-pending\""))
            // The download and the API wait for the current bulletin: 5 charged.
            let json = try await hr.get("/bulletin/download/json?month=2026-11").text
            let bulletin = try ReportJSON.decoder.decode(Bulletin.self, from: Data(json.utf8))
            #expect(bulletin.totals.charged == 5)
            let api = try await h.client.execute(uri: "/api/v1/bulletin?month=2026-11", method: .get,
                                                 headers: [.authorization: "Bearer \(TestCollector.adminToken)"])
            #expect(try ReportJSON.decoder.decode(Bulletin.self, from: Data(api.text.utf8)).totals.charged == 5)
            // The page now has it too (built by the download), without the notice.
            await h.caches.settle()
            let current = try await hr.get("/bulletin?month=2026-11").text
            #expect(current.contains("id=\"bulletin-charged\">5<") && !current.contains("figures-pending"))
        }
    }

    @Test func aRebuildDoneWithinThePatienceIsWaitedForAndShowsNoNotice() async throws {
        try await H.run(patience: .seconds(30)) { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-11").text, "open-count"))
            try await Self.storeOneMore(h)
            let page = try await hr.get("/?month=2026-11").text
            #expect(P.card(page, "open-count") == open + 1, "the figures with the new summary")
            #expect(!page.contains("figures-pending"))
            #expect(!(try await hr.get("/bulletin?month=2026-11").text.contains("figures-pending")))
        }
    }

    @Test func aReviewAfterANewSummaryIsShownAtOnce() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-11").text, "open-count"))
            _ = try await hr.get("/bulletin?month=2026-11")
            try await Self.storeOneMore(h)
            // A decision: the next pages wait for figures that include it (and the summary before it).
            let csrf = try await hr.csrf()
            let reviewed = try await hr.post("/reviews", [("csrf", csrf), ("id", S.a1.id), ("state", "excused"), ("note", "公出")])
            #expect(reviewed.status == .seeOther)
            let overview = try await hr.get("/?month=2026-11").text
            #expect(P.card(overview, "open-count") == open, "one more open, one reviewed")
            #expect(!overview.contains("figures-pending"))
            let bulletin = try await hr.get("/bulletin?month=2026-11").text
            #expect(bulletin.contains("id=\"bulletin-charged\">4<") && !bulletin.contains("figures-pending"))
        }
    }

    @Test func anAgentsContactAloneLeavesTheOverviewKept() async throws {
        try await H.run { h in
            try await S.seed(h)
            let hr = try await h.signedIn("hr-all")
            _ = try await hr.get("/?month=2026-11")
            _ = try await hr.get("/units?month=2026-11&unit=\(H.squad1)")
            let built = await h.caches.pages.builds
            // The agent calls in (and pushes a summary of another month): the figures are unchanged.
            try await h.store.touchAgent(id: "office-a", at: h.clock.now.addingTimeInterval(30))
            let december = Samples.summary(date: CivilDate(year: 2026, month: 12, day: 1)!, units: [H.squad1],
                                           anomalies: [Samples.anomaly("1001", .late, date: CivilDate(year: 2026, month: 12, day: 1)!)])
            #expect(try await h.store.store(december, receivedAt: h.clock.now.addingTimeInterval(40)) == .stored)
            let overview = try await hr.get("/?month=2026-11").text
            _ = try await hr.get("/units?month=2026-11&unit=\(H.squad1)")
            #expect(!overview.contains("figures-pending"))
            await h.caches.settle()
            #expect(await h.caches.pages.builds == built, "neither page was computed again")
        }
    }

    @Test func aDecisionOnAnotherMonthsAnomalyLeavesThisMonthsFiguresKept() async throws {
        try await H.run { h in
            try await S.seed(h)
            let later = try await Self.storeLateArrival(h, on: CivilDate(year: 2026, month: 12, day: 1)!)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-11").text, "open-count"))
            _ = try await hr.get("/bulletin?month=2026-11")
            let (pages, bulletins) = (await h.caches.pages.builds, await h.caches.bulletins.builds)

            // December's anomaly decided: November's figures (and its comparison with October) hold
            // no decision of December's, so they are served as kept, current, without a build.
            let csrf = try await hr.csrf()
            let reviewed = try await hr.post("/reviews", [("csrf", csrf), ("id", later.id), ("state", "excused"), ("note", "公出")])
            #expect(reviewed.status == .seeOther)
            let overview = try await hr.get("/?month=2026-11").text
            #expect(P.card(overview, "open-count") == open && !overview.contains("figures-pending"))
            let bulletin = try await hr.get("/bulletin?month=2026-11").text
            #expect(!bulletin.contains("figures-pending"))
            await h.caches.settle()
            let (pagesAfter, bulletinsAfter) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
            #expect(pagesAfter == pages && bulletinsAfter == bulletins)

            // A decision on November's anomaly shows on the next page, as before.
            let csrf2 = try await hr.csrf()
            _ = try await hr.post("/reviews", [("csrf", csrf2), ("id", S.a1.id), ("state", "excused"), ("note", "公出")])
            #expect(P.card(try await hr.get("/?month=2026-11").text, "open-count") == open - 1)
        }
    }

    /// The overview's open count and the bulletin page's charged count, as an HR officer of the
    /// whole organisation and one of 一中队 see them.
    static func firstPages(_ h: ConsoleHarness) async throws -> [String] {
        var seen: [String] = []
        for name in ["hr-all", "hr-squad1"] {
            let hr = try await h.signedIn(name)
            let overview = try await hr.get("/?month=2026-11").text
            let bulletin = try await hr.get("/bulletin?month=2026-11").text
            let charged = bulletin.range(of: "id=\"bulletin-charged\">").map { bulletin[$0.upperBound...].prefix { $0.isNumber } }
            seen.append("\(name) open=\(P.card(overview, "open-count") ?? -1) charged=\(charged ?? "?")")
        }
        return seen
    }

    @Test func theWarmerBuildsTheFirstPagesOfTheDayBeforeTheFirstRequestTheSameFiguresAsThePage() async throws {
        // Without the warmer: the first requests build the figures.
        let cold = try await Self.firstPagesOnce(warm: false)
        let warm = try await Self.firstPagesOnce(warm: true)
        #expect(warm == cold)
        #expect(cold.count == 2 && !cold.joined().contains("-1") && !cold.joined().contains("?"), "every figure read")
    }

    static func firstPagesOnce(warm: Bool) async throws -> [String] {
        let seen = NIOLockedValueBox<[String]>([])
        try await H.run { h in
            try await S.seed(h)
            if warm {
                var logger = Logger(label: "warmer-test")
                logger.logLevel = .critical
                let warmer = FigureWarmer(store: h.store, caches: h.caches, settings: BulletinSettings(), review: ReviewSettings(),
                                          clock: { h.clock.now }, logger: logger)
                // The overview and the bulletin of the whole organisation and of 一中队 (admin shares
                // the first), for November and October.
                #expect(await warmer.warm(now: h.clock.now) == 4 + 4)
                let (pages, bulletins) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
                #expect(pages == 4 && bulletins == 4)
                seen.withLockedValue { $0 = [] }
                let pagesSeen = try await firstPages(h)
                seen.withLockedValue { $0 = pagesSeen }
                // Every one of those pages came from the warmed figures.
                await h.caches.settle()
                let (pagesAfter, bulletinsAfter) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
                #expect(pagesAfter == pages && bulletinsAfter == bulletins)
                let (pageHits, bulletinHits) = (await h.caches.pages.hits, await h.caches.bulletins.hits)
                #expect(pageHits >= 2 && bulletinHits >= 2)
            } else {
                let pagesSeen = try await firstPages(h)
                seen.withLockedValue { $0 = pagesSeen }
            }
        }
        return seen.withLockedValue { $0 }
    }

    /// The warmer as `serve` runs it, on the harness's caches and clock.
    static func warmer(_ h: ConsoleHarness) -> FigureWarmer {
        var logger = Logger(label: "warmer-test")
        logger.logLevel = .critical
        return FigureWarmer(store: h.store, caches: h.caches, settings: BulletinSettings(), review: ReviewSettings(),
                            clock: { h.clock.now }, logger: logger)
    }

    /// The page at `path` as HR of the whole organisation sees it, and whether it was served from
    /// the kept figures: no figures built for it (then or in the background), none older shown.
    static func servedFromKept(_ h: ConsoleHarness, _ hr: ConsoleBrowser, _ path: String) async throws -> Bool {
        await h.caches.settle()
        let (pages, bulletins) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
        let page = try await hr.get(path).text
        await h.caches.settle()
        let (pagesAfter, bulletinsAfter) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
        return pagesAfter == pages && bulletinsAfter == bulletins && !page.contains("figures-pending")
    }

    @Test func aStartJustAfterMidnightInShanghaiWarmsTheMonthJustEndedForTheFirstPages() async throws {
        // 30 November 16:13 UTC is 1 December 00:13 in Shanghai (the bulletin's zone): the business
        // date is the 1st, and the month HR reviews and publishes is November, the previous one.
        // (The console benchmark of 30 Nov 16:12 UTC timed October there, which is not warmed then.)
        try await H.run { h in
            try await S.seed(h)
            h.clock.advance(seconds: 1_796_055_180 - TestCollector.now.timeIntervalSince1970)
            let hr = try await h.signedIn("hr-all")
            #expect(await Self.warmer(h).warm(now: h.clock.now) == 4 + 4)
            #expect(try await Self.servedFromKept(h, hr, "/?month=2026-11"))
            #expect(try await Self.servedFromKept(h, hr, "/bulletin?month=2026-11"))
            #expect(try await Self.servedFromKept(h, hr, "/"), "December's, the current month's")
        }
    }

    /// Decided in the console or by a script through the API.
    @Test(arguments: ["console", "api"])
    func aDecisionOnAnAnomalyOlderThanThePreviousMonthWarmsItsMonth(_ through: String) async throws {
        try await H.run { h in
            try await S.seed(h)
            // An anomaly of 15 September, decided on 18 November (today): two months back.
            let older = try await Self.storeLateArrival(h, on: CivilDate(year: 2026, month: 9, day: 15)!)
            await Self.installWarmer(h)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-09").text, "open-count"))
            if through == "api" {
                let api = try await h.client.postJSON("/api/v1/anomalies/\(older.id)/review",
                                                      #"{"state":"excused","note":"公出","by":"脚本"}"#, token: TestCollector.adminToken)
                #expect(api.status == .ok)
            } else {
                let csrf = try await hr.csrf()
                _ = try await hr.post("/anomalies/\(older.id)/review", [("csrf", csrf), ("state", "excused"), ("note", "公出")])
            }
            // The warm-up the decision asked for computed September's figures with it.
            #expect(try await Self.servedFromKept(h, hr, "/?month=2026-09"))
            #expect(try await Self.servedFromKept(h, hr, "/bulletin?month=2026-09"))
            #expect(P.card(try await hr.get("/?month=2026-09").text, "open-count") == open - 1)
            // And still the current and the previous month's.
            #expect(try await Self.servedFromKept(h, hr, "/?month=2026-11"))
            #expect(try await Self.servedFromKept(h, hr, "/bulletin?month=2026-10"))
        }
    }

    @Test func theWarmerWakesJustAfterTheNextMidnightInTheZone() {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        // 2026-11-18 19:06:40 in Shanghai: 4 h 53 min 20 s to midnight, then one second.
        let untilMidnight: Double = 4 * 3600 + 53 * 60 + 20 + 1
        #expect(FigureWarmer.untilNextDate(after: TestCollector.now, zone: shanghai) == untilMidnight)
        #expect(FigureWarmer.untilNextDate(after: TestCollector.now, zone: TimeZone(identifier: "UTC")!) > 12 * 3600)
    }

    /// Stores a summary of `date` with one late arrival (person 1001, 一中队) in it; returns the anomaly.
    static func storeLateArrival(_ h: ConsoleHarness, on date: CivilDate) async throws -> Anomaly {
        let late = Samples.anomaly("1001", .late, unit: H.squad1, date: date)
        let summary = Samples.summary(date: date, units: [H.squad1], anomalies: [late])
        #expect(try await h.store.store(summary, receivedAt: h.clock.now) == .stored)
        return late
    }

    /// A `FigureWarmer` over `h`'s store and caches, run when a decision asks for a warm-up.
    static func installWarmer(_ h: ConsoleHarness) async {
        var logger = Logger(label: "warmer-test")
        logger.logLevel = .critical
        let warmer = FigureWarmer(store: h.store, caches: h.caches, settings: BulletinSettings(), review: ReviewSettings(),
                                  clock: { h.clock.now }, logger: logger)
        await h.caches.warmups.install { months in await warmer.warm(now: h.clock.now, first: months) }
    }

    @Test func aDecisionInTheConsoleHasTheWarmerComputeTheFiguresThatIncludeIt() async throws {
        try await H.run { h in
            try await S.seed(h)
            await Self.installWarmer(h)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-11").text, "open-count"))
            let csrf = try await hr.csrf()
            _ = try await hr.post("/anomalies/\(S.a1.id)/review", [("csrf", csrf), ("state", "excused"), ("note", "公出")])
            // The warm-up the decision asked for has computed the figures that include it.
            await h.caches.settle()
            let (pages, bulletins) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
            let overview = try await hr.get("/?month=2026-11").text
            #expect(P.card(overview, "open-count") == open - 1 && !overview.contains("figures-pending"))
            let bulletin = try await hr.get("/bulletin?month=2026-11").text
            #expect(!bulletin.contains("figures-pending"))
            await h.caches.settle()
            let (pagesAfter, bulletinsAfter) = (await h.caches.pages.builds, await h.caches.bulletins.builds)
            #expect(pagesAfter == pages && bulletinsAfter == bulletins, "both pages were served from the warmed figures")
        }
    }

    @Test func aDecisionThroughTheAPIAlsoHasTheWarmerComputeTheFigures() async throws {
        try await H.run { h in
            try await S.seed(h)
            await Self.installWarmer(h)
            let hr = try await h.signedIn("hr-all")
            let open = try #require(P.card(try await hr.get("/?month=2026-11").text, "open-count"))
            let api = try await h.client.postJSON("/api/v1/anomalies/\(S.a1.id)/review",
                                                  #"{"state":"excused","note":"公出","by":"脚本"}"#, token: TestCollector.adminToken)
            #expect(api.status == .ok)
            await h.caches.settle()
            let built = await h.caches.pages.builds
            let overview = try await hr.get("/?month=2026-11").text
            #expect(P.card(overview, "open-count") == open - 1)
            await h.caches.settle()
            let builtAfter = await h.caches.pages.builds
            #expect(builtAfter == built, "served from the figures the decision had warmed")
        }
    }
}
