import Testing
@testable import Shared

/// "Time zones": minutes are real elapsed minutes under `site.timezone`; a night shift across a
/// daylight-saving change lasts an hour more (autumn) or less (spring).
@Suite struct TimeZoneTests {
    /// One guard on night duty (20:00-08:00) at a Berlin site, on `date`.
    private func office(_ date: String, zone: String = "Europe/Berlin") -> Office {
        var o = Office()
        o.timeZone = zone
        o.people = [Person(id: "g", name: "Guard", unit: UnitPath("Amt/Wache")),
                    Person(id: "c", name: "Clerk", unit: UnitPath("Amt/Kanzlei"))]
        o.rosterDuty(date, "g")
        o.readers = [ReaderConfig(id: "in", direction: .entrance), ReaderConfig(id: "out", direction: .exit)]
        o.punch("c", "\(date) 10:00", reader: "in")  // someone badges that date: the readers work
        return o
    }

    @Test func anAbsentNightAcrossTheAutumnChangeIsThirteenHours() {
        // 2026-10-25 03:00 CEST becomes 02:00 CET: 20:00 to 08:00 is 13 real hours.
        #expect(office("2026-10-24").check("2026-10-24").charged == ["g 2026-10-24 absent 780"])
        #expect(office("2026-10-24", zone: "Asia/Shanghai").check("2026-10-24").charged == ["g 2026-10-24 absent 720"])
    }

    @Test func anAbsentNightAcrossTheSpringChangeIsElevenHours() {
        // 2026-03-29 02:00 CET becomes 03:00 CEST.
        #expect(office("2026-03-28").check("2026-03-28").charged == ["g 2026-03-28 absent 660"])
    }

    @Test func awayAndEarlyLeaveAcrossTheChangeAreRealMinutes() {
        var o = office("2026-10-24")
        o.punch("g", "2026-10-24 19:55", reader: "in")
        o.punch("g", "2026-10-25 01:30", reader: "out")   // CEST
        o.punch("g", "2026-10-25 03:30", reader: "in")    // CET: 3 real hours later
        o.punch("g", "2026-10-25 07:00", reader: "out")
        let e = o.check("2026-10-24")
        #expect(e.charged == ["g 2026-10-24 early_leave 60", "g 2026-10-24 off_post 180"])
    }

    @Test func lateAcrossTheSpringChangeIsRealMinutes() {
        var o = office("2026-03-28")
        o.shifts["early"] = Shift(code: "early", start: ClockTime("01:00")!, end: ClockTime("09:00")!)
        o.roster = []
        o.rosterDuty("2026-03-29", "g", "early")
        o.punch("g", "2026-03-29 03:10", reader: "in")  // 01:00 CET to 03:10 CEST: 70 real minutes
        o.punch("g", "2026-03-29 09:05", reader: "out")
        #expect(o.check("2026-03-29").charged == ["g 2026-03-29 late 70"])
    }
}
