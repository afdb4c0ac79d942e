import Foundation
import Testing
@testable import DutyAgent
import Shared

@Suite struct IngestTableFileTests {
    @Test func peopleWithBadgesPostsAndBadRows() throws {
        let text = """
            id,name,unit,badge,post
            1001,张伟,市场监管局/办公室,,
            1002,王芳, 市场监管局 / 执法大队 ,'0015,duty-room
            1001,李娜,市场监管局/食品科,,
            1003,刘洋,,,
            ,陈静,市场监管局/办公室,,
            1004,赵敏,市场监管局/办公室,0015,

            """
        let url = try IngestFixtures.write(text, named: "people.csv")
        let r = try PeopleFileReader.read(contentsOf: url, displayName: "people.csv")
        #expect(r.rows.map(\.id) == ["1001", "1002"])
        #expect(r.rows[0].badge == "1001" && r.rows[0].post == nil)
        #expect(r.rows[1].badge == "0015" && r.rows[1].post == "duty-room")
        #expect(r.rows[1].unit == UnitPath("市场监管局/执法大队"))
        #expect(r.quality.map(\.line) == [4, 5, 6, 7])
        #expect(r.quality.allSatisfy { $0.kind == .badLine && $0.file == "people.csv" })
        #expect(r.quality.map(\.message) == [
            "id: 1001 is already listed on line 2",
            "unit: empty",
            "id: empty",
            "badge: 0015 is already the badge of 1002 on line 3",
        ])
    }

    @Test func peopleInGB18030WithChineseHeaderAndTitle() throws {
        let url = try IngestFixtures.require(IngestFixtures.fixture("people-gb18030.csv"))
        let r = try PeopleFileReader.read(contentsOf: url, displayName: "people.csv")
        #expect(r.quality.isEmpty)
        #expect(r.rows.map(\.name) == ["张伟", "王芳"])
        #expect(r.rows.map(\.badge) == ["1001", "015"])
        #expect(r.rows.map(\.post) == [nil, "值班室"])
        #expect(r.rows[1].unit.components == ["市场监管局", "执法大队"])
    }

    @Test func peopleWithoutAHeaderIsAnErrorNamingTheFile() throws {
        let url = try IngestFixtures.write("1001,张伟,办公室\n", named: "people.csv")
        do {
            _ = try PeopleFileReader.read(contentsOf: url, displayName: "conf/people.csv")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.file == "conf/people.csv")
            #expect(error.line == 1)
            #expect(error.field == "header")
        }
        let missing = url.deletingLastPathComponent().appendingPathComponent("none.csv")
        #expect(throws: InputError.self) { try PeopleFileReader.read(contentsOf: missing, displayName: "none.csv") }
    }

    @Test func scenarioPeopleFilesLoad() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("scenarios/07-leaves/people.csv"))
        let r = try PeopleFileReader.read(contentsOf: url, displayName: "people.csv")
        #expect(r.rows.count == 5 && r.quality.isEmpty)
    }

    @Test func rosterRowsAndBadDates() throws {
        let text = "date,person,shift\n2026-11-02,2001,night-duty\n2026/11/3,2002,night-duty\n2026-02-30,2001,night-duty\n2026-11-04,,night-duty\n2026-11-05,2001,\n"
        let url = try IngestFixtures.write(text, named: "roster.csv")
        let r = try RosterFileReader.read(contentsOf: url, displayName: "roster.csv", fileIndex: 7)
        #expect(r.rows.map(\.date) == [CivilDate("2026-11-02")!, CivilDate("2026-11-03")!])
        #expect(r.rows.map(\.shift) == ["night-duty", "night-duty"])
        #expect(r.rows.map(\.source) == [SourceRef(file: 7, line: 2), SourceRef(file: 7, line: 3)])
        #expect(r.quality.map(\.line) == [4, 5, 6])
        #expect(r.quality.map(\.message) == ["date: \"2026-02-30\" is not a date (yyyy-MM-dd)", "person: empty", "shift: empty"])
    }

    @Test func scenarioLeavesWholeDaysAndTimes() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("scenarios/07-leaves/leaves.csv"))
        let r = try LeavesFileReader.read(contentsOf: url, displayName: "leaves.csv", fileIndex: 2)
        #expect(r.quality.isEmpty)
        #expect(r.rows.count == 4)
        let annual = r.rows[0]
        #expect(annual.person == "1001" && annual.wholeDays && annual.kind == "annual" && annual.note == "年假")
        #expect(annual.start == .at("2026-11-02 00:00:00") && annual.end == .at("2026-11-03 00:00:00"))
        let personal = r.rows[1]
        #expect(!personal.wholeDays)
        #expect(personal.start == .at("2026-11-02 09:00:00") && personal.end == .at("2026-11-02 11:00:00"))
        let trip = r.rows[3]
        #expect(trip.wholeDays && trip.start == .at("2026-11-03 00:00:00") && trip.end == .at("2026-11-05 00:00:00"))
        #expect(r.rows.map(\.source.line) == [2, 3, 4, 5])
        #expect(r.rows.allSatisfy { $0.source.file == 2 })
    }

    @Test func leavesWithBadBoundsAreSkipped() throws {
        let text = """
            工号,开始,结束,类型,备注
            1001,2026-11-05,2026-11-04,annual,
            1002,2026-11-02 11:00,2026-11-02 09:00,personal,
            1003,2026-11-02 25:00,2026-11-02 26:00,personal,
            1004,soon,2026-11-02,trip,
            ,2026-11-02,2026-11-02,trip,
            1005,2026-11-02,2026-11-02 12:00,trip,半天
            """
        let url = try IngestFixtures.write(text, named: "leaves.csv")
        let r = try LeavesFileReader.read(contentsOf: url, displayName: "leaves.csv", fileIndex: 0)
        #expect(r.quality.map(\.line) == [2, 3, 4, 5, 6])
        #expect(r.quality.map(\.message) == [
            "结束: 2026-11-04 is not after the start 2026-11-05",
            "结束: 2026-11-02 09:00 is not after the start 2026-11-02 11:00",
            "开始: \"2026-11-02 25:00\" is a time of day that does not exist",
            "开始: \"soon\" is not a date (yyyy-MM-dd) or a time (yyyy-MM-dd HH:mm)",
            "工号: empty",
        ])
        #expect(r.rows.count == 1)
        #expect(r.rows[0].wholeDays == false && r.rows[0].end == .at("2026-11-02 12:00:00") && r.rows[0].note == "半天")
    }

    @Test func holidayFilesMergeAndAMalformedOneNamesThePath() throws {
        let a = try HolidayFileReader.read(data: Data(#"{"year":2026,"days":[{"name":"国庆节","date":"2026-10-01","isOffDay":true}]}"#.utf8),
                                           displayName: "2026.json")
        let b = try HolidayFileReader.read(data: Data(#"{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2026-12-27","isOffDay":false}]}"#.utf8),
                                           displayName: "2027.json")
        let merged = HolidayFileReader.merge([a, b])
        #expect(merged.offDays.count == 2)
        #expect(merged.workDays[CivilDate("2026-12-27")!] == "元旦")
        do {
            _ = try HolidayFileReader.read(data: Data(#"{"year":2026,"days":[{"name":"x","date":"2026-10-01","isOffDay":true},{"name":"y","date":"2026-02-30","isOffDay":true}]}"#.utf8),
                                           displayName: "holidays/2026.json")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.file == "holidays/2026.json")
            #expect(error.field == "days[1].date")
        }
        do {
            _ = try HolidayFileReader.read(data: Data(#"{"year":2026,"days":[{"name":"x","date":"2026-10-01"}]}"#.utf8), displayName: "h.json")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.field == "days[0].isOffDay")
        }
        #expect(throws: InputError.self) { try HolidayFileReader.read(data: Data("{not json".utf8), displayName: "h.json") }
    }
}
