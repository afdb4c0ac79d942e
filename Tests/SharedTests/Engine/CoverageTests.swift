import Testing
@testable import Shared

/// What the data covers: pending instances, reader outages, unknown badges, clock skew.
@Suite struct CoverageTests {
    private func office() -> Office {
        var o = Office()
        o.people = [Person(id: "a", name: "A", unit: UnitPath("局")), Person(id: "b", name: "B", unit: UnitPath("局"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        return o
    }

    private func run(_ o: Office, _ from: String, _ to: String, completeThrough: String? = nil,
                     now: String? = nil) -> Evaluation {
        AttendanceEngine.evaluate(o.input, EvaluationRequest(from: day(from), to: day(to),
                                                             completeThrough: completeThrough.map(day), now: now.map(at)))
    }

    @Test func anInstanceIsPendingUntilEveryReaderHasReportedPastItsWindow() {
        var o = office()
        o.punch("a", "2026-11-02 08:55", reader: "1")
        o.punch("a", "2026-11-02 19:00", reader: "1")
        o.punch("b", "2026-11-02 19:31", reader: "2")
        // Reader 1 last reported at 19:00, before the window closes at 19:30.
        var e = run(o, "2026-11-02", "2026-11-02")
        #expect(e.anomalies.isEmpty)
        #expect(e.instances.map(\.status) == [.pending, .pending])
        o.punch("x", "2026-11-02 19:30:01", reader: "1")
        e = run(o, "2026-11-02", "2026-11-02")
        #expect(e.charged == ["b 2026-11-02 absent 420"])
        #expect(e.status("a", "2026-11-02") == .present)
    }

    @Test func aConfiguredReaderThatNeverReportedKeepsEverythingPending() {
        var o = office()
        o.readers = [ReaderConfig(id: "spare")]
        o.punch("a", "2026-11-02 08:55")
        o.punch("a", "2026-11-03 17:35")
        #expect(run(o, "2026-11-02", "2026-11-02").instances.allSatisfy { $0.status == .pending })
    }

    @Test func completeThroughDecidesWithoutWatermarks() {
        var o = office()
        o.punch("a", "2026-11-02 08:55")
        o.punch("a", "2026-11-03 08:55")
        let e = run(o, "2026-11-02", "2026-11-03", completeThrough: "2026-11-02")
        #expect(e.charged == ["a 2026-11-02 missing_out 0", "b 2026-11-02 absent 420"])
        #expect(e.status("a", "2026-11-03") == .pending && e.status("b", "2026-11-03") == .pending)
    }

    @Test func aNightShiftIsDecidedByCompleteThroughItsBusinessDate() {
        var o = office()
        o.schedules = []
        o.rosterDuty("2026-11-02", "a")
        o.punch("a", "2026-11-02 19:55")
        let e = run(o, "2026-11-02", "2026-11-02", completeThrough: "2026-11-02")
        #expect(e.charged == ["a 2026-11-02 missing_out 0"])
    }

    @Test func aSilentDateIsAQualityItemNotAnAbsenceForEveryone() throws {
        var o = office()
        o.punch("a", "2026-11-03 08:55")
        o.punch("a", "2026-11-03 17:35")
        let e = run(o, "2026-11-02", "2026-11-03", completeThrough: "2026-11-03")
        #expect(e.charged == ["b 2026-11-03 absent 420"])
        #expect(e.status("a", "2026-11-02") == .unverified && e.status("b", "2026-11-02") == .unverified)
        let item = try #require(e.quality.first)
        #expect(e.quality.count == 1)
        #expect(item.kind == .readerSilent && item.date == day("2026-11-02") && item.count == 2)
        #expect(item.message.contains("2026-11-02") && item.message.contains("reader"))
    }

    @Test func unknownBadgesAreOneItemPerBadgeWithTheFirstPunch() throws {
        var o = office()
        o.punch("a", "2026-11-02 08:55", file: "badges/1_attlog.dat")
        o.punch("9999", "2026-11-02 09:00", reader: "7", file: "badges/7_attlog.dat")
        o.punch("9999", "2026-11-02 12:00", reader: "7", file: "badges/7_attlog.dat")
        o.punch("8888", "2026-11-02 10:00", file: "badges/1_attlog.dat")
        o.punch("7777", "2026-11-09 10:00", file: "badges/1_attlog.dat")  // outside the judged dates
        let e = run(o, "2026-11-02", "2026-11-02", completeThrough: "2026-11-02")
        let items = e.quality.filter { $0.kind == .unknownBadge }
        #expect(items.map(\.badge) == ["8888", "9999"])
        let nines = try #require(items.last)
        #expect(nines.count == 2 && nines.file == "badges/7_attlog.dat" && nines.line == 1 && nines.reader == "7")
        #expect(nines.message.contains("9999"))
    }

    @Test func clockSkewIsReportedPerReaderAndLeftOutOfTheRules() throws {
        var o = office()
        o.punch("a", "2026-11-02 08:55", reader: "1")
        o.punch("a", "2000-01-01 00:03", reader: "1")
        o.punch("b", "2000-01-01 00:09", reader: "1")
        o.punch("b", "2026-11-02 16:00", reader: "2")
        o.punch("b", "2026-11-02 17:40", reader: "2")  // after now + 5 minutes
        let e = run(o, "2026-11-02", "2026-11-02", completeThrough: "2026-11-02", now: "2026-11-02 17:30")
        let skews = e.quality.filter { $0.kind == .clockSkew }
        #expect(skews.count == 2)
        let reset = try #require(skews.first { $0.reader == "1" })
        #expect(reset.count == 2 && reset.line == 2 && reset.message.contains("reset"))
        let future = try #require(skews.first { $0.reader == "2" })
        #expect(future.count == 1 && future.line == 5 && future.message.contains("future"))
        // b's 17:40 punch does not count: 16:00 alone is a departure.
        #expect(e.charged == ["a 2026-11-02 missing_out 0", "b 2026-11-02 early_leave 90", "b 2026-11-02 missing_in 0"])
    }

    @Test func aPunchWithinFiveMinutesOfNowIsNotSkew() {
        var o = office()
        o.punch("a", "2026-11-02 17:34:59")
        let e = run(o, "2026-11-02", "2026-11-02", completeThrough: "2026-11-02", now: "2026-11-02 17:30")
        #expect(e.quality.isEmpty)
    }
}
