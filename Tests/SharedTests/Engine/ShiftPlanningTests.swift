import Testing
@testable import Shared

/// Which instances people have: schedules, workdays and holidays, the roster.
@Suite struct ShiftPlanningTests {
    /// 2026-11-02 is a Monday; 2026-11-07 a Saturday.
    private func office() -> Office {
        var o = Office()
        o.people = [
            Person(id: "a", name: "A", unit: UnitPath("局/办公室")),
            Person(id: "b", name: "B", unit: UnitPath("局/执法大队/一中队")),
            Person(id: "c", name: "C", unit: UnitPath("局/执法大队")),
        ]
        o.schedules = [
            Schedule(units: [UnitPath("局")], shift: "day", days: .workdays),
            Schedule(units: [UnitPath("局/执法大队")], shift: "late", days: .all),
            Schedule(persons: ["c"], shift: "day", days: .weekdays([.sat])),
        ]
        return o
    }

    private func planned(_ e: Evaluation, _ person: String) -> [String] {
        e.instances.filter { $0.person == person }.map { "\($0.date) \($0.shift)" }
    }

    @Test func personsBeatUnitsAndTheLongestPrefixWins() {
        let e = office().check("2026-11-06", "2026-11-08")
        #expect(planned(e, "a") == ["2026-11-06 day"])
        #expect(planned(e, "b") == ["2026-11-06 late", "2026-11-07 late", "2026-11-08 late"])
        #expect(planned(e, "c") == ["2026-11-07 day"])
    }

    @Test func schedulesOfOneTierCombine() {
        var o = office()
        o.schedules.append(Schedule(units: [UnitPath("局")], shift: "late", days: .weekdays([.sat])))
        let e = o.check("2026-11-06", "2026-11-07")
        #expect(planned(e, "a") == ["2026-11-06 day", "2026-11-07 late"])
    }

    @Test func holidaysAreOffAndMakeUpDaysAreWorkdays() {
        var o = office()
        o.calendar = HolidayCalendar(offDays: [day("2026-11-06"): "test holiday"],
                                     workDays: [day("2026-11-07"): "test holiday"])
        let e = o.check("2026-11-06", "2026-11-08")
        #expect(planned(e, "a") == ["2026-11-07 day"])
        // A weekday list ignores the holiday calendar.
        #expect(planned(e, "c") == ["2026-11-07 day"])
    }

    @Test func aRosterWorkShiftSwapsAndADutyShiftComesOnTop() {
        var o = office()
        o.rosterDuty("2026-11-02", "a", "late")
        o.rosterDuty("2026-11-03", "a", "night-duty")
        o.rosterDuty("2026-11-04", "a", "off")
        o.rosterDuty("2026-11-05", "a", "no-such-shift")
        let e = o.check("2026-11-02", "2026-11-05")
        #expect(planned(e, "a") == ["2026-11-02 late", "2026-11-03 day", "2026-11-03 night-duty", "2026-11-05 day"])
    }

    @Test func theRosterAppliesOnHolidaysAndWeekends() {
        var o = office()
        o.calendar = HolidayCalendar(offDays: [day("2026-10-01"): "国庆节", day("2026-10-02"): "国庆节"])
        o.rosterDuty("2026-10-01", "a")
        o.rosterDuty("2026-10-03", "a", "day")
        let e = o.check("2026-10-01", "2026-10-03")
        #expect(planned(e, "a") == ["2026-10-01 night-duty", "2026-10-03 day"])
    }

    @Test func aShiftNamedTwiceOnOneDateIsOneInstance() {
        var o = office()
        o.schedules.append(Schedule(persons: ["a"], shift: "night-duty", days: .all))
        o.rosterDuty("2026-11-02", "a")
        o.rosterDuty("2026-11-02", "a")
        let e = o.check("2026-11-02")
        #expect(planned(e, "a") == ["2026-11-02 night-duty"])
    }

    @Test func aNightShiftBelongsToTheDateItStarts() throws {
        let templates = ShiftTemplates(Office.standardShifts())
        let night = ShiftInstance(person: 0, date: day("2026-11-02"), template: templates.index["night-duty"]!,
                                  of: templates, inRange: true)
        #expect(LocalDateTime(seconds: night.start) == at("2026-11-02 20:00"))
        #expect(LocalDateTime(seconds: night.end) == at("2026-11-03 08:00"))
        #expect(LocalDateTime(seconds: night.windowStart) == at("2026-11-02 19:00"))
        #expect(LocalDateTime(seconds: night.windowEnd) == at("2026-11-03 10:00"))
    }

    @Test func breaksOfANightShiftAfterMidnightAreOnTheNextDay() {
        let shift = Shift(code: "n", kind: .duty, start: ClockTime("20:00")!, end: ClockTime("08:00")!,
                          breaks: [BreakWindow(start: ClockTime("23:30")!, end: ClockTime("00:30")!),
                                   BreakWindow(start: ClockTime("03:00")!, end: ClockTime("04:00")!)])
        let templates = ShiftTemplates(["n": shift])
        let i = ShiftInstance(person: 0, date: day("2026-11-02"), template: 0, of: templates, inRange: true)
        let breaks = templates.breaks(of: i)
        #expect(breaks.map { LocalDateTime(seconds: $0.start) } == [at("2026-11-02 23:30"), at("2026-11-03 03:00")])
        #expect(breaks.map { LocalDateTime(seconds: $0.end) } == [at("2026-11-03 00:30"), at("2026-11-03 04:00")])
        #expect(i.scheduled.secondsOutside(breaks) == 10 * 3600)
    }
}
