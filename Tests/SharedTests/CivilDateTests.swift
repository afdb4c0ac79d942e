import Testing
@testable import Shared

@Suite struct CivilDateTests {
    @Test func roundTripsAcrossCenturies() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-02", "1969-12-31", "2100-03-01"] {
            #expect(CivilDate(text)?.description == text)
        }
    }

    @Test func rejectsImpossibleDates() {
        #expect(CivilDate("2047-02-30") == nil)
        #expect(CivilDate("2026-13-02") == nil)
        #expect(CivilDate("2100-02-29") == nil)
        #expect(CivilDate("2026-1-02") == nil)
    }

    @Test func knowsWeekdays() {
        #expect(CivilDate("2026-11-02")?.weekday == .mon)
        #expect(CivilDate("2026-09-20")?.weekday == .sun)
        #expect(CivilDate("1970-01-01")?.weekday == .thu)
    }

    @Test func localTimesParseAndSplit() throws {
        let t = try #require(LocalDateTime("2026-11-02 23:59:59"))
        #expect(t.date.description == "2026-11-02")
        #expect(t.secondsOfDay == 86_399)
        #expect(LocalDateTime("2026-11-02 24:00:00") == nil)
        #expect(LocalDateTime("2026-11-02 09:05")?.secondsOfDay == 9 * 3600 + 300)
    }

    @Test func clockTimes() {
        #expect(ClockTime("09:00")?.minutes == 540)
        #expect(ClockTime("25:00") == nil)
        #expect(ClockTime("9:30")?.minutes == 570)
    }
}

@Suite struct HexTests {
    @Test func encodesLowerCaseTwoDigitsPerByte() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff] as [UInt8]) == "000fa0ff")
    }

    @Test func stableIDIsTwelveBytesOfHex() {
        let id = StableID.anomaly(site: "s", person: "1", date: CivilDate("2026-11-02")!, shift: "day", kind: .late,
                                  start: LocalDateTime("2026-11-02 09:00:00")!)
        #expect(id.count == 24)
        #expect(id.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
