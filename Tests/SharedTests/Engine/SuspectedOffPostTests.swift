import Testing
@testable import Shared

/// "Suspected off-post": an away interval no entrance closes before the departure is reported
/// apart (`suspected: true`), from its opening punch to the departure, and never charged.
@Suite struct SuspectedOffPostTests {
    /// Scenario 12's duty room: reader 2 is its entrance, reader 3 its exit.
    private func office() -> Office {
        var o = Office.scenario("suspected", schedule: false)
        o.shifts = Office.standardShifts(posts: ["duty-room"])
        o.readers = [ReaderConfig(id: "2", post: "duty-room", direction: .entrance),
                     ReaderConfig(id: "3", post: "duty-room", direction: .exit)]
        o.rosterDuty("2026-11-02", "2001")
        o.punch("2001", "2026-11-02 19:55", reader: "2")
        return o
    }

    @Test func anIntervalNoEntranceClosesIsSuspectedNotCharged() throws {
        var o = office()
        o.punch("2001", "2026-11-02 22:10", reader: "3")
        o.punch("2001", "2026-11-03 07:58", reader: "3")
        let e = o.check("2026-11-02")
        #expect(e.charged.isEmpty)
        #expect(e.suspectedLines == ["2001 2026-11-02 off_post 588"])
        let a = try #require(e.anomalies.first)
        #expect(a.suspected && !a.excused && a.severity == .critical)
        #expect(a.awayFrom == at("2026-11-02 22:10") && a.awayTo == at("2026-11-03 07:58"))
        #expect(a.evidence.map(\.time) == [at("2026-11-02 22:10"), at("2026-11-03 07:58")])
        #expect(e.status("2001", "2026-11-02", "night-duty") == .present)
    }

    @Test func aClosedIntervalIsChargedAndTheDepartureClosesNothing() {
        var o = office()
        o.punch("2001", "2026-11-02 23:00", reader: "3")
        o.punch("2001", "2026-11-02 23:40", reader: "2")
        o.punch("2001", "2026-11-03 08:02", reader: "3")
        let e = o.check("2026-11-02")
        #expect(e.charged == ["2001 2026-11-02 off_post 40"])
        #expect(e.suspectedLines.isEmpty)
    }

    @Test func aChargedAndASuspectedIntervalAreTwoAnomaliesWithTheirOwnIds() throws {
        var o = office()
        o.punch("2001", "2026-11-02 21:00", reader: "3")
        o.punch("2001", "2026-11-02 21:30", reader: "2")
        o.punch("2001", "2026-11-03 02:00", reader: "3")
        o.punch("2001", "2026-11-03 07:59", reader: "3")
        let e = o.check("2026-11-02")
        #expect(e.charged == ["2001 2026-11-02 off_post 30"])
        #expect(e.suspectedLines == ["2001 2026-11-02 off_post 359"])
        let ids = Set(e.anomalies.map(\.id))
        #expect(ids.count == 2)
    }

    @Test func aSuspectedIntervalWithinTheLimitIsNotReported() {
        var o = office()
        o.punch("2001", "2026-11-03 07:50", reader: "3")
        o.punch("2001", "2026-11-03 08:00", reader: "3")
        #expect(o.check("2026-11-02").anomalies.isEmpty)
    }

    @Test func aSuspectedIntervalOnAWorkShiftRunsToTheDeparture() {
        var o = Office.scenario("work")
        o.readers = [ReaderConfig(id: "in", direction: .entrance), ReaderConfig(id: "out", direction: .exit)]
        o.punch("1001", "2026-11-02 08:55", reader: "in")
        o.punch("1001", "2026-11-02 10:00", reader: "out")
        o.punch("1001", "2026-11-02 17:35", reader: "out")
        let e = o.check("2026-11-02")
        // 10:00-17:30 less the 12:00-13:30 break: 360 minutes, inside the shift only.
        #expect(e.suspectedLines == ["1001 2026-11-02 off_post 360"])
        #expect(!e.charged.contains { $0.hasPrefix("1001") })
    }

    @Test func aSuspectedAnomalyIsInNoFigureOfTheDaySummary() {
        var o = office()
        o.punch("2001", "2026-11-02 22:10", reader: "3")
        o.punch("2001", "2026-11-03 07:58", reader: "3")
        let summaries = DaySummary.build(from: o.check("2026-11-02"), dates: [day("2026-11-02")], agent: "a", site: "a",
                                         generatedAt: .init(timeIntervalSince1970: 0))
        let s = summaries[0]
        #expect(s.schema == 2)
        #expect(s.anomalies.count == 1 && s.anomalies[0].suspected)
        #expect(s.units.allSatisfy { $0.kinds.isEmpty })
    }

    @Test func aSummaryWithoutSuspectedAnomaliesStaysVersionOne() {
        var o = office()
        o.punch("2001", "2026-11-02 23:00", reader: "3")
        o.punch("2001", "2026-11-02 23:40", reader: "2")
        o.punch("2001", "2026-11-03 08:02", reader: "3")
        let s = DaySummary.build(from: o.check("2026-11-02"), dates: [day("2026-11-02")], agent: "a", site: "a",
                                 generatedAt: .init(timeIntervalSince1970: 0))[0]
        #expect(s.schema == 1)
    }
}
