import Testing
@testable import Shared

/// Overlapping windows: night duty 20:00-08:00 on 11-02, then the day shift 09:00-17:30 on 11-03.
/// The night window runs to 10:00, the day window opens at 08:00; the boundary is 08:00.
@Suite struct WindowSplitTests {
    private func office() -> Office {
        var o = Office()
        o.people = [Person(id: "p", name: "P", unit: UnitPath("局/办公室"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        o.readers = [ReaderConfig(id: "in", direction: .entrance), ReaderConfig(id: "out", direction: .exit)]
        o.rosterDuty("2026-11-02", "p")
        o.rosterDuty("2026-11-02", "p", "off")  // no day shift before the night duty
        o.punch("p", "2026-11-02 19:58", reader: "in")
        return o
    }

    @Test func aKnownExitAt0805EndsTheNightDutyNotStartsTheDay() {
        var o = office()
        o.punch("p", "2026-11-03 08:05", reader: "out")
        o.punch("p", "2026-11-03 08:55", reader: "1")
        o.punch("p", "2026-11-03 17:35", reader: "1")
        let e = o.check("2026-11-02", "2026-11-03")
        #expect(e.charged.isEmpty)
        #expect(e.anomalies.isEmpty)
    }

    @Test func aKnownExitAt0805DoesNotMakeTheDayShiftPresent() {
        var o = office()
        o.punch("p", "2026-11-03 08:05", reader: "out")
        let e = o.check("2026-11-02", "2026-11-03")
        #expect(e.charged == ["p 2026-11-03 absent 420"])
    }

    @Test func anUnknownPunchAfterTheBoundaryIsTheDayArrival() {
        var o = office()
        o.punch("p", "2026-11-03 08:05", reader: "1")
        o.punch("p", "2026-11-03 17:35", reader: "1")
        let e = o.check("2026-11-02", "2026-11-03")
        // The night duty keeps only its arrival (missing_out); the day shift is complete.
        #expect(e.charged == ["p 2026-11-02 missing_out 0"])
    }

    @Test func anUnknownPunchExactlyOnTheBoundaryBelongsToTheEarlierInstance() {
        var o = office()
        o.punch("p", "2026-11-03 08:00", reader: "1")
        o.punch("p", "2026-11-03 17:35", reader: "1")
        let e = o.check("2026-11-02", "2026-11-03")
        #expect(e.charged == ["p 2026-11-03 missing_in 0"])
    }

    @Test func aPunchAt0700IsOutsideTheOverlapAndLeavesTheNightEarly() throws {
        var o = office()
        o.punch("p", "2026-11-03 07:00", reader: "in")
        o.punch("p", "2026-11-03 08:55", reader: "1")
        o.punch("p", "2026-11-03 17:35", reader: "1")
        let e = o.check("2026-11-02", "2026-11-03")
        // A known entrance at 07:00 is in the night window only; as the last punch it is not a departure.
        #expect(e.charged == ["p 2026-11-02 missing_out 0"])
        var unknown = office()
        unknown.punch("p", "2026-11-03 07:00", reader: "1")
        #expect(unknown.check("2026-11-02", "2026-11-03").charged
            == ["p 2026-11-02 early_leave 60", "p 2026-11-03 absent 420"])
    }

    @Test func aKnownEntranceInTheOverlapBelongsToTheLaterInstance() {
        var o = office()
        o.punch("p", "2026-11-03 07:59", reader: "out")
        o.punch("p", "2026-11-03 08:30", reader: "in")
        o.punch("p", "2026-11-03 17:35", reader: "out")
        #expect(o.check("2026-11-02", "2026-11-03").charged.isEmpty)
    }

    @Test func theDayBeforeClaimsItsNightPunchesWithoutBeingJudged() {
        var o = office()
        o.punch("p", "2026-11-03 08:00", reader: "1")
        o.punch("p", "2026-11-03 17:35", reader: "1")
        let e = o.check("2026-11-03")
        #expect(e.instances.map(\.shift) == ["day"])
        #expect(e.charged == ["p 2026-11-03 missing_in 0"])
    }

    @Test func punchesOutsideEveryWindowAreIgnored() {
        var o = Office()
        o.people = [Person(id: "p", name: "P", unit: UnitPath("局"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        o.punch("p", "2026-11-02 07:59:59")
        o.punch("p", "2026-11-02 19:30:01")
        #expect(o.check("2026-11-02").charged == ["p 2026-11-02 absent 420"])
        var edges = o
        edges.punches = []
        edges.punch("p", "2026-11-02 08:00:00")
        edges.punch("p", "2026-11-02 19:30:00")
        #expect(edges.check("2026-11-02").charged.isEmpty)
    }
}
