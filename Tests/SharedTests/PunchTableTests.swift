import Testing
@testable import Shared

/// The compact punch store gives back every punch as it was appended: badge, time, reader, state
/// (or none) and the file and line that the evidence of an anomaly names.
@Suite struct PunchTableTests {
    static func punch(_ badge: String, _ seconds: Int64, _ reader: String, _ state: Int16?, file: Int32, line: Int32) -> Punch {
        Punch(badge: badge, time: LocalDateTime(seconds: seconds), reader: reader, state: state,
              source: SourceRef(file: file, line: line))
    }

    let first = [
        punch("0015", 1_000, "1", 0, file: 0, line: 1),
        punch("0016", 1_060, "1", nil, file: 0, line: 2),
        punch("0015", 1_120, "大门", 255, file: 0, line: 4),
        punch("0015", 1_180, "1", Int16.min, file: 0, line: 2_000_000_000),
    ]
    let second = [
        punch("0099", 2_000, "大门", 1, file: 1, line: 3),
        punch("0016", 2_060, "2", nil, file: 1, line: 5),
    ]

    @Test func everyFieldOfEveryPunchComesBack() {
        let table = PunchTable(first)
        #expect(Array(table) == first)
        #expect(table.count == 4)
        #expect(table.badgeIDs == ["0015", "0016"])
        #expect(table.readerIDs == ["1", "大门"])
        #expect(table.state(at: 1) == nil && table.state(at: 3) == Int16.min)
    }

    @Test func appendingATableMapsItsIdsOntoThisOne() {
        var table = PunchTable(first)
        table += PunchTable(second)
        #expect(Array(table) == first + second)
        #expect(table.badgeIDs == ["0015", "0016", "0099"])
        #expect(table.readerIDs == ["1", "大门", "2"])
        #expect(table.badge(at: 5) == 1 && table.reader(at: 4) == 1)
    }

    @Test func punchesAppendedByBadgeIndexAreThoseAppendedByBadge() {
        var table = PunchTable()
        let badge = table.internBadge("0015")
        #expect(table.internBadge("0015") == badge && table.internBadge("15") != badge)
        table.append(badgeAt: badge, time: LocalDateTime(seconds: 1_000), reader: "1", state: 0,
                     source: SourceRef(file: 0, line: 1))
        table.append(first[1])
        #expect(Array(table) == [first[0], first[1]])
        #expect(table.badgeIDs == ["0015", "15", "0016"])
    }

    @Test func anInputBuiltFromPunchesHoldsTheSamePunches() {
        let input = AttendanceInput(siteID: "s", people: [], shifts: [:], schedules: [], workweek: [],
                                    calendar: HolidayCalendar(), readers: [], roster: [], leaves: [],
                                    punches: first + second, files: ["a", "b"])
        #expect(Array(input.punches) == first + second)
        var empty = input
        empty.punches = []
        #expect(empty.punches.isEmpty && empty.punches.badgeIDs.isEmpty)
    }

    @Test func aFilteredAppendKeepsWhatIsDueAndOnlyTheIdsItUses() {
        var table = PunchTable(second)
        table.append(contentsOf: PunchTable(first), notBefore: LocalDateTime(seconds: 1_100))
        #expect(Array(table) == second + first.filter { $0.time.seconds >= 1_100 })
        // Ids come with the punches kept: a part wholly before the bound adds none.
        #expect(table.badgeIDs == ["0099", "0016", "0015"])
        #expect(table.readerIDs == ["大门", "2", "1"])
        var empty = PunchTable()
        empty.append(contentsOf: PunchTable(first), notBefore: LocalDateTime(seconds: 5_000))
        #expect(empty.isEmpty && empty.badgeIDs.isEmpty)
    }

    @Test func removingBeforeABoundKeepsTheRestInOrder() {
        var table = PunchTable(first + second)
        table.removeAll(before: LocalDateTime(seconds: 1_100))
        #expect(Array(table) == (first + second).filter { $0.time.seconds >= 1_100 })
        table.removeAll(before: LocalDateTime(seconds: 0))
        #expect(table.count == 4)
        table.removeAll(before: LocalDateTime(seconds: 10_000))
        #expect(table.isEmpty)
        // A table emptied takes punches again.
        table.append(first[0])
        #expect(Array(table) == [first[0]])
    }

    @Test func settingTheFileChangesOnlyTheFile() {
        var table = PunchTable(second)
        let copy = table
        table.setFile(7)
        #expect(Array(table) == second.map { p in var q = p; q.source.file = 7; return q })
        #expect(Array(copy) == second)
    }
}
