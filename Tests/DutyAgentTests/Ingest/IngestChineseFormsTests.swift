import Foundation
import Testing
@testable import DutyAgent
import Shared

/// The vendor forms of issue 9: Chinese dates and 上午/下午 clocks, quoted cells with line breaks,
/// employment dates in the people file and the transfers file.
@Suite struct IngestChineseFormsTests {
    private func parse(_ text: String) -> TimestampParser.Result {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parse($0, 0, $0.count) }
    }

    private func clock(_ text: String) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parseClock($0, 0, $0.count).0 }
    }

    @Test func chineseDatesAndHalfDayClocks() {
        #expect(parse("2026年10月9日 8:05") == .time(.at("2026-10-09 08:05:00")))
        #expect(parse("2026年10月9日8:05") == .time(.at("2026-10-09 08:05:00")))
        #expect(parse("2026年1月15日 17:30:12") == .time(.at("2026-01-15 17:30:12")))
        #expect(parse("2026/10/9 上午8:05") == .time(.at("2026-10-09 08:05:00")))
        #expect(parse("2026/10/9 下午5:30") == .time(.at("2026-10-09 17:30:00")))
        #expect(parse("2026/10/9 下午12:10") == .time(.at("2026-10-09 12:10:00")))
        #expect(parse("2026/10/9 上午12:10") == .time(.at("2026-10-09 00:10:00")))
        #expect(parse("2026年10月9日 下午5:30") == .time(.at("2026-10-09 17:30:00")))
        #expect(clock("下午5:30") == 17 * 3600 + 30 * 60)
        #expect(clock("上午 9:06") == 9 * 3600 + 6 * 60)
    }

    @Test func impossibleChineseFormsAreNamed() {
        #expect(parse("2026年2月30日 8:05") == .noSuchDate)
        #expect(parse("2026/10/9 下午17:30") == .noSuchTime)
        #expect(parse("2026年10月9 8:05") == .malformed)
        #expect(parse("2026/10/9 晚上8:05") == .malformed)
        let date = Array("2026年11月4日".utf8).withUnsafeBufferPointer { TimestampParser.parseDate($0, 0, $0.count).0 }
        #expect(date == CivilDate("2026-11-04"))
    }

    @Test func aQuotedCellWithLineBreaksKeepsTheRecordsFirstLine() {
        let text = "\u{FEFF}工号,姓名,打卡时间,备注\r\n1001,张伟,2026年11月2日 8:52,\r\n"
            + "1002,王芳,2026/11/2 上午9:12,\"迟到\r\n原因：堵车\"\r\n1002,王芳,2026/11/2 下午5:40,\r\n"
            + "1003,李娜,2026/11/2 上午8:59,\"两行\n\n三行\"\n1003,李娜,bad,\n"
        let r = IngestFixtures.badges(text, name: "export.csv")
        #expect(r.punches.map(\.badge) == ["1001", "1002", "1002", "1003"])
        #expect(r.punches.map(\.source.line) == [2, 3, 5, 6])
        #expect(r.punches.map(\.time.description)
                == ["2026-11-02 08:52:00", "2026-11-02 09:12:00", "2026-11-02 17:40:00", "2026-11-02 08:59:00"])
        #expect(r.quality.map(\.line) == [9])
        // Every physical line is accounted for.
        #expect(r.lines == 9)
        #expect(r.punches.count + r.badLines + r.blankLines == r.lines)
    }

    @Test func peopleWithEmploymentDates() throws {
        let text = "工号,姓名,部门,入职日期,离职日期\n1001,张伟,局/办公室,2026-11-04,\n1002,王芳,局/办公室,,2026年11月3日\n"
            + "1003,李娜,局/食品科,2026/13/01,\n1004,刘洋,局/食品科,2026-11-05,2026-11-01\n1005,陈静,局/食品科,,\n"
        let r = try PeopleFileReader.read(data: Data(text.utf8), displayName: "people.csv")
        #expect(r.rows.map(\.id) == ["1001", "1002", "1005"])
        #expect(r.rows[0].joined == CivilDate("2026-11-04") && r.rows[0].left == nil)
        #expect(r.rows[1].joined == nil && r.rows[1].left == CivilDate("2026-11-03"))
        #expect(r.quality.map(\.line) == [4, 5])
        #expect(r.quality.map(\.field) == ["入职日期", "离职日期"])
    }

    @Test func transfersAndTheirBadRows() throws {
        let text = "person,date,unit\n1003,2026-11-04,市场监管局/执法大队\n,2026-11-04,局\n1004,2026-11-31,局\n1005,2026-11-04,\n"
        let r = try TransfersFileReader.read(data: Data(text.utf8), displayName: "transfers.csv", fileIndex: 3)
        #expect(r.rows.map { $0.0 } == [Transfer(person: "1003", date: CivilDate("2026-11-04")!, unit: UnitPath("市场监管局/执法大队"))])
        #expect(r.rows.first?.1 == SourceRef(file: 3, line: 2))
        #expect(r.quality.map(\.line) == [3, 4, 5])
        #expect(r.quality.map(\.field) == ["person", "date", "unit"])
    }
}
