import Testing
@testable import Shared

/// Excuses: whole-day leave, timed leave covering the shift, partial leave moving start and end.
@Suite struct LeaveTests {
    private func office(_ times: [String]) -> Office {
        var o = Office()
        o.people = [Person(id: "p", name: "P", unit: UnitPath("局"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        for t in times { o.punch("p", "2026-11-02 " + t) }
        o.punch("other", "2026-11-02 09:00")  // keeps the date from looking like a reader outage
        return o
    }

    @Test func aWholeDayLeaveExcusesAndStillReportsWhatItWouldHaveCharged() throws {
        var o = office([])
        o.leave("p", days: "2026-11-01", "2026-11-03", kind: "annual")
        let e = o.check("2026-11-02")
        #expect(e.charged.isEmpty)
        #expect(e.excusedLines == ["p 2026-11-02 absent 420 annual"])
        #expect(e.status("p", "2026-11-02") == .excused)
        let a = try #require(e.anomalies.first)
        #expect(a.expectedStart == at("2026-11-02 09:00") && a.expectedEnd == at("2026-11-02 17:30"))
    }

    @Test func punchesDespiteAWholeDayLeaveChargeNothing() {
        var o = office(["10:30"])
        o.leave("p", days: "2026-11-02", "2026-11-02", kind: "annual")
        let e = o.check("2026-11-02")
        #expect(e.anomalies.isEmpty)
        #expect(e.status("p", "2026-11-02") == .excused)
    }

    @Test func aWholeDayLeaveCoversANightShiftStartingThatDate() {
        var o = office([])
        o.schedules = []
        o.rosterDuty("2026-11-02", "p")
        o.leave("p", days: "2026-11-02", "2026-11-02", kind: "comp")
        #expect(o.check("2026-11-02").excusedLines == ["p 2026-11-02 absent 720 comp"])
    }

    @Test func timedLeavesThatTogetherCoverTheShiftExcuseIt() {
        var o = office([])
        o.leave("p", from: "2026-11-02 08:30", to: "2026-11-02 12:00", kind: "personal")
        o.leave("p", from: "2026-11-02 12:00", to: "2026-11-02 18:00", kind: "sick")
        #expect(o.check("2026-11-02").excusedLines == ["p 2026-11-02 absent 420 personal"])
    }

    @Test func aLeaveAtTheStartMovesTheStart() throws {
        var o = office(["10:55", "17:35"])
        o.leave("p", from: "2026-11-02 09:00", to: "2026-11-02 11:00", kind: "personal")
        #expect(o.check("2026-11-02").anomalies.isEmpty)
        var late = office(["11:20", "17:35"])
        late.leave("p", from: "2026-11-02 09:00", to: "2026-11-02 11:00", kind: "personal")
        let e = late.check("2026-11-02")
        #expect(e.charged == ["p 2026-11-02 late 20"])
        let a = try #require(e.anomalies.first)
        #expect(a.expectedStart == at("2026-11-02 11:00") && a.expectedEnd == at("2026-11-02 17:30"))
        #expect(!a.excused && a.reason == nil)
    }

    @Test func aLeaveAtTheEndMovesTheEnd() {
        var o = office(["08:55", "15:20"])
        o.leave("p", from: "2026-11-02 15:30", to: "2026-11-02 17:30", kind: "trip")
        #expect(o.check("2026-11-02").charged == ["p 2026-11-02 early_leave 10"])
        var ok = office(["08:55", "15:26"])
        ok.leave("p", from: "2026-11-02 15:30", to: "2026-11-02 18:00", kind: "trip")
        #expect(ok.check("2026-11-02").charged.isEmpty)
    }

    @Test func aLeaveInTheMiddleMovesNothing() {
        var o = office(["09:10", "17:35"])
        o.leave("p", from: "2026-11-02 10:00", to: "2026-11-02 11:00", kind: "外出")
        #expect(o.check("2026-11-02").charged == ["p 2026-11-02 late 10"])
    }

    @Test func anAbsenceOnPartialLeaveCountsTheRestOfTheShift() {
        var o = office([])
        o.leave("p", from: "2026-11-02 09:00", to: "2026-11-02 11:00", kind: "personal")
        // 11:00-17:30 is 390 minutes, less the 90-minute break.
        #expect(o.check("2026-11-02").charged == ["p 2026-11-02 absent 300"])
    }

    @Test func anotherPersonsLeaveDoesNotExcuse() {
        var o = office([])
        o.leave("someone-else", days: "2026-11-02", "2026-11-02", kind: "annual")
        #expect(o.check("2026-11-02").charged == ["p 2026-11-02 absent 420"])
    }
}
