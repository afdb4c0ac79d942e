import Foundation
import Testing
@testable import DutyAgent
import Shared

@Suite struct IngestBadgeCSVTests {
    @Test func englishHeaderWithQuotesAndApostrophes() {
        let text = "AC-No.,Name,Date/Time,State,Check Point\r\n'0015,\"Li, Na\",2026-11-02 08:55:00,C/In,Front door\r\n"
            + "\"'0016\",\"Wang \"\"Fang\"\"\",2026/11/02 17:31,C/Out,\"Front door\"\r\n"
        let r = IngestFixtures.badges(text, name: "export.csv")
        #expect(r.format == .csv)
        #expect(r.quality.isEmpty)
        #expect(r.punches.map(\.badge) == ["0015", "0016"])
        #expect(r.punches.map(\.time) == [.at("2026-11-02 08:55:00"), .at("2026-11-02 17:31:00")])
        #expect(r.punches.map(\.state) == [0, 1])
        #expect(r.punches.map(\.reader) == ["Front door", "Front door"])
        #expect(r.punches.map(\.source.line) == [2, 3])
        #expect(r.lines == 3 && r.blankLines == 1)
    }

    @Test func dateFormsAndVariants() {
        let rows = [
            ("2026-11-02 08:05:09", "2026-11-02 08:05:09"),
            ("2026/11/02 08:05", "2026-11-02 08:05:00"),
            ("02/11/2026 08:05:09", "2026-11-02 08:05:09"),
            ("2026/1/5 8:05", "2026-01-05 08:05:00"),
            ("5/1/2026 8:05", "2026-01-05 08:05:00"),
            ("2026-11-02T08:05:09", "2026-11-02 08:05:09"),
            ("2026.11.02 08:05:09.250", "2026-11-02 08:05:09"),
            ("2026-11-02  08:05", "2026-11-02 08:05:00"),
            ("2026/11/2 8:05:00 PM", "2026-11-02 20:05:00"),
            ("2026/11/2 12:05 AM", "2026-11-02 00:05:00"),
        ]
        let text = "id,time\n" + rows.map { "1,\($0.0)" }.joined(separator: "\n")
        let r = IngestFixtures.badges(text, name: "x.csv")
        #expect(r.quality.map(\.message) == [])
        #expect(r.punches.map(\.time.description) == rows.map(\.1))
    }

    @Test func badTimesAreBadLinesNamingTheColumn() {
        let text = "工号,打卡时间\n1001,2026-02-30 08:00\n1002,2026/11/02 24:10\n1003,yesterday\n1004,2026-11-02T08:00:00+08:00\n,2026-11-02 08:00\n1005,2000-01-01 00:00:48\n"
        let r = IngestFixtures.badges(text, name: "x.csv")
        #expect(r.punches.isEmpty)
        #expect(r.quality.map(\.line) == [2, 3, 4, 5, 6, 7])
        let m = r.quality.map(\.message)
        #expect(m[0] == "打卡时间: \"2026-02-30 08:00\" is a date that does not exist")
        #expect(m[1] == "打卡时间: \"2026/11/02 24:10\" is a time of day that does not exist")
        #expect(m[2].hasPrefix("打卡时间: \"yesterday\" is not a date and time"))
        #expect(m[3].contains("time-zone offset"))
        #expect(m[4] == "工号: empty")
        #expect(m[5].contains("reset"))
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func titleRowsAboveTheHeaderAndARepeatedHeaderAreNoRecords() {
        let text = "考勤记录表\n2026-11-01 至 2026-11-30\n\n考勤号码,姓名,日期时间,状态,机器号\n1,张伟,2026-11-02 08:52:00,上班签到,2\n"
            + "考勤号码,姓名,日期时间,状态,机器号\n2,王芳,2026-11-02 17:52:00,下班签退,3\n"
        let r = IngestFixtures.badges(text, name: "x.csv")
        #expect(r.quality.isEmpty)
        #expect(r.lines == 7 && r.blankLines == 5)
        #expect(r.punches.map(\.source.line) == [5, 7])
        #expect(r.punches.map(\.state) == [0, 1])
        #expect(r.punches.map(\.reader) == ["2", "3"])
    }

    @Test func utf8WithAByteOrderMark() {
        let r = IngestFixtures.badges("\u{FEFF}Person ID,Time,Direction\n88,2026-11-02 08:00:00,out\n", name: "x.csv")
        #expect(r.format == .csv)
        #expect(r.punches.first?.badge == "88")
        #expect(r.punches.first?.state == 1)
        #expect(r.punches.first?.reader == "x")  // no device column: the file's name
    }

    @Test func separateDateAndTimeColumnsInGB18030() throws {
        let url = try IngestFixtures.require(IngestFixtures.fixture("badges-date-time-columns-gb18030.csv"))
        #expect(!TextDecoding.isValidUTF8(Array(try Data(contentsOf: url)).withUnsafeBufferPointer { $0 }))
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "dt.csv", fileIndex: 0)
        #expect(r.format == .csv)
        #expect(r.punches.map(\.time) == [.at("2026-01-05 08:05:00"), .at("2026-01-05 17:31:09")])
        #expect(r.punches.map(\.reader) == ["大门", "大门"])
        #expect(r.punches.map(\.state) == [0, 1])
        #expect(r.quality.map(\.line) == [4])
        #expect(r.quality.first?.message.hasPrefix("时间: \"25:00\"") == true)
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func semicolonAndTabSeparatedExports() {
        let semi = IngestFixtures.badges("No.;Name;Date/Time\n12;A;2026-11-02 08:00:00\n", name: "a.csv")
        #expect(semi.punches.map(\.badge) == ["12"])
        let tabbed = IngestFixtures.badges("badge\ttime\treader\n12\t2026-11-02 08:00:00\t9\n", name: "b.txt")
        #expect(tabbed.format == .csv)
        #expect(tabbed.punches.map(\.reader) == ["9"])
    }

    @Test func directionWords() {
        #expect(DirectionNames.state("上班签到") == 0)
        #expect(DirectionNames.state("下班签退") == 1)
        #expect(DirectionNames.state("进") == 0)
        #expect(DirectionNames.state("出") == 1)
        #expect(DirectionNames.state("In") == 0)
        #expect(DirectionNames.state("OUT") == 1)
        #expect(DirectionNames.state("C/In") == 0)
        #expect(DirectionNames.state("OverTime Out") == 5)
        #expect(DirectionNames.state("255") == 255)
        #expect(DirectionNames.state("") == nil)
        #expect(DirectionNames.state("maybe") == nil)
    }

    @Test func aCSVWithoutAHeaderIsNoBadgeFile() throws {
        let url = try IngestFixtures.write("a,b,c\n1,2,3\n", named: "x.csv")
        #expect(throws: InputError.self) { try BadgeFileReader.read(contentsOf: url, displayName: "x.csv", fileIndex: 0) }
    }
}

@Suite struct IngestTextEncodingTests {
    @Test func aUTF8FileWithOneDamagedByteStaysUTF8() {
        var bytes = Array("工号,姓名,日期时间,机器号\n1001,张伟,2026-11-02 08:52:00,大门\n1002,王".utf8)
        bytes += [0xFF]  // damaged
        bytes += Array("芳,2026-11-02 08:53:00,大门\n".utf8)
        #expect(bytes.withUnsafeBufferPointer { TextDecoding.encoding(of: $0) } == .utf8)
        let r = BadgeFileReader.read(bytes: bytes, displayName: "x.csv", fileIndex: 0, defaultReader: nil)
        #expect(r.punches.map(\.reader) == ["大门", "大门"])
        #expect(r.punches.map(\.badge) == ["1001", "1002"])
    }

    @Test func gb18030IsNotTakenForUTF8() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("scenarios/09-csv-gb18030/badges/export.csv"))
        let bytes = Array(try Data(contentsOf: url))
        #expect(bytes.withUnsafeBufferPointer { TextDecoding.encoding(of: $0) } == .gb18030)
        let utf8 = bytes.withUnsafeBufferPointer { TextDecoding.utf8(fromGB18030: $0) }
        #expect(String(decoding: utf8, as: UTF8.self).hasPrefix("考勤记录表\r\n工号,姓名,日期时间,机器号"))
    }

    @Test func utf16WithAByteOrderMarkFromExcel() {
        let text = "\u{FEFF}AC-No.\tName\tTime\n15\t李娜\t2026-11-02 08:00:00\n"
        let utf16 = Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let r = BadgeFileReader.read(data: utf16, displayName: "export.txt", fileIndex: 0, defaultReader: nil)
        #expect(r.format == .csv)
        #expect(r.punches.map(\.badge) == ["15"])
        #expect(r.punches.first?.source.line == 2)
    }
}
