import Testing
@testable import Shared

/// Debounce, arrival and departure, late and early leave with grace and rounding, absence and
/// missing punches, severity tiers. Day shift 09:00-17:30 (break 12:00-13:30, midpoint 13:15).
@Suite struct ArrivalDepartureTests {
    private func office(_ times: [String], reader: String = "1", state: Int16? = 255) -> Office {
        var o = Office()
        o.people = [Person(id: "p", name: "P", unit: UnitPath("局"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        for t in times { o.punch("p", "2026-11-02 " + t, reader: reader, state: state) }
        return o
    }

    private func charged(_ times: [String]) -> [String] {
        office(times).check("2026-11-02").charged.map { String($0.dropFirst("p 2026-11-02 ".count)) }
    }

    @Test func graceBoundaryAndRoundingUp() {
        #expect(charged(["09:05:00", "17:25:00"]).isEmpty)
        #expect(charged(["09:05:01", "17:24:59"]) == ["early_leave 6", "late 6"])
        #expect(charged(["09:00:01", "17:30:00"]).isEmpty)
        #expect(charged(["09:06:00", "17:30:00"]) == ["late 6"])
    }

    @Test func doubleSwipesAreOnePunch() {
        #expect(charged(["08:40:00", "08:40:20", "08:40:50"]) == ["missing_out 0"])
        #expect(charged(["09:20:00", "09:20:30", "17:31:00"]) == ["late 20"])
        // Exactly the limit apart is still one punch; one second more is two.
        #expect(charged(["08:40:00", "08:41:00"]) == ["missing_out 0"])
        #expect(charged(["08:40:00", "08:41:01"]) == ["early_leave 529"])
    }

    @Test func debounceMeasuresFromTheLastKeptPunch() {
        // 08:40:00 kept, 08:40:50 merged, 08:41:10 is 70 s after the kept one: kept.
        let punches = [10, 60, 80].map { PersonPunch(index: 0, reader: 0, time: $0, direction: .unknown) }
        let kept = PunchAssignment.debounce(punches[...], seconds: 60)
        #expect(kept.map(\.time) == [10, 80])
    }

    @Test func aLonePunchIsTheArrivalBeforeTheMidpointAndTheDepartureAfter() {
        #expect(charged(["08:55"]) == ["missing_out 0"])
        #expect(charged(["13:14:59"]) == ["late 255", "missing_out 0"])
        #expect(charged(["13:15:00"]) == ["early_leave 255", "missing_in 0"])
        #expect(charged(["17:40"]) == ["missing_in 0"])
    }

    @Test func aLonePunchOfKnownDirectionIsWhatItsDirectionSays() {
        var entrance = office(["17:40"], state: 0)
        entrance.readers = [ReaderConfig(id: "1", direction: .state)]
        #expect(entrance.check("2026-11-02").charged == ["p 2026-11-02 late 520", "p 2026-11-02 missing_out 0"])
        var exit = office(["08:50"], state: 1)
        exit.readers = [ReaderConfig(id: "1", direction: .state)]
        #expect(exit.check("2026-11-02").charged == ["p 2026-11-02 early_leave 520", "p 2026-11-02 missing_in 0"])
    }

    @Test func knownDirectionsChooseArrivalAndDeparture() {
        var o = office([])
        o.readers = [ReaderConfig(id: "in", direction: .entrance), ReaderConfig(id: "out", direction: .exit)]
        o.punch("p", "2026-11-02 08:10", reader: "out")  // left the building: not an arrival
        o.punch("p", "2026-11-02 08:50", reader: "in")
        o.punch("p", "2026-11-02 17:40", reader: "out")
        o.punch("p", "2026-11-02 17:45", reader: "in")  // came back for something: not a departure
        #expect(o.check("2026-11-02").charged.isEmpty)
    }

    @Test func punchStatesAreTrustedOnlyWhereConfigured() {
        #expect(PunchBook.direction(.state, state: 0) == .entrance)
        #expect(PunchBook.direction(.state, state: 3) == .entrance)
        #expect(PunchBook.direction(.state, state: 4) == .entrance)
        #expect(PunchBook.direction(.state, state: 1) == .exit)
        #expect(PunchBook.direction(.state, state: 2) == .exit)
        #expect(PunchBook.direction(.state, state: 5) == .exit)
        #expect(PunchBook.direction(.state, state: 255) == .unknown)
        #expect(PunchBook.direction(.state, state: nil) == .unknown)
        #expect(PunchBook.direction(.unknown, state: 0) == .unknown)
        #expect(PunchBook.direction(.entrance, state: 1) == .entrance)
        #expect(PunchBook.direction(.exit, state: 0) == .exit)
    }

    @Test func absenceCountsTheScheduledMinutesLessBreaks() throws {
        var o = office([])
        o.punch("visitor", "2026-11-02 10:00")  // someone punched: the reader worked that day
        let e = o.check("2026-11-02")
        let a = try #require(e.anomalies.first)
        #expect(a.kind == .absent && a.minutes == 420 && a.severity == .critical && a.evidence.isEmpty)
        #expect(e.status("p", "2026-11-02") == .absent)
    }

    @Test func severityTiers() {
        let rules = RuleSettings()
        #expect(InstanceJudge.severity(.late, minutes: 30, duty: false, rules: rules) == .minor)
        #expect(InstanceJudge.severity(.late, minutes: 31, duty: false, rules: rules) == .serious)
        #expect(InstanceJudge.severity(.earlyLeave, minutes: 60, duty: false, rules: rules) == .serious)
        #expect(InstanceJudge.severity(.earlyLeave, minutes: 61, duty: false, rules: rules) == .critical)
        #expect(InstanceJudge.severity(.absent, minutes: 1, duty: false, rules: rules) == .critical)
        #expect(InstanceJudge.severity(.offPost, minutes: 60, duty: false, rules: rules) == .serious)
        #expect(InstanceJudge.severity(.offPost, minutes: 61, duty: false, rules: rules) == .critical)
        #expect(InstanceJudge.severity(.offPost, minutes: 16, duty: true, rules: rules) == .critical)
        #expect(InstanceJudge.severity(.missingIn, minutes: 0, duty: true, rules: rules) == .minor)
        #expect(InstanceJudge.severity(.missingOut, minutes: 0, duty: false, rules: rules) == .minor)
        let e = office(["09:31", "17:30"]).check("2026-11-02")
        #expect(e.anomalies.map(\.severity) == [.serious])
        #expect(office(["10:01", "17:30"]).check("2026-11-02").anomalies.map(\.severity) == [.critical])
    }

    @Test func perShiftRulesOverrideTheGrace() {
        var o = office(["09:09", "17:30"])
        o.shifts["day"]!.rules.graceLate = 10
        #expect(o.check("2026-11-02").charged.isEmpty)
    }
}
