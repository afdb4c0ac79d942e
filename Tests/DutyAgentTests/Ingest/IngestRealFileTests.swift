import Foundation
import Testing
@testable import DutyAgent
import Shared

/// The field files of `Tests/SharedFixtures/data/real` (copied from the shared folder) and the scenario
/// badge files, read as they are.
@Suite struct IngestRealFileTests {
    @Test func caokaCorruptedRowsAreBadLinesAndEveryOtherRowIsAPunch() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("data/real/zkteco/caoka_1_attlog.dat"))
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "caoka_1_attlog.dat", fileIndex: 0)
        #expect(r.format == .zktecoAttlog)
        #expect(r.lines == 10_943)
        #expect(r.blankLines == 0)
        #expect(r.punches.count == 10_585)
        // The corrupted stretches, found by reading the file: fill rows (`ZZZZZZZZZZ`), control
        // bytes, 2047-02-30, a reset clock (2000) and a year 2131.
        let badLines = r.quality.compactMap(\.line)
        #expect(badLines == Array(1859...2038) + Array(5569...5746))
        #expect(r.quality.allSatisfy { $0.kind == .badLine && $0.file == "caoka_1_attlog.dat" })
        let byLine = Dictionary(uniqueKeysWithValues: r.quality.map { ($0.line!, $0.message) })
        #expect(byLine[1860]!.hasPrefix("PIN: \"ZZZZZZZZZZ\" is not a badge number"))
        #expect(byLine[5569] == "time: \"2047-02-30 19:13:30\" is a date that does not exist")  // PIN 730021 is fine
        #expect(byLine[5736]!.hasPrefix("time: \"2131-01-08 08:46:56\" is in 2131"))
        #expect(byLine[2030]!.contains("control bytes"))
        #expect(byLine[5746]!.hasPrefix("PIN: \"0.dat\""))
        // Rows around the corruption are punches with their own line numbers.
        let lines = Set(r.punches.map(\.source.line))
        #expect(lines.contains(1858) && lines.contains(2039) && lines.contains(5568) && lines.contains(5747))
        let last = try #require(r.punches.last)
        #expect(last.badge == "720205" && last.time == .at("2020-12-31 07:18:26") && last.source.line == 10_943)
        #expect(r.punches.allSatisfy { $0.reader == "1" })
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func clockworkEveryRowIsAPunch() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("data/real/zkteco/clockwork_1_attlog.dat"))
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "clockwork_1_attlog.dat", fileIndex: 3)
        #expect(r.format == .zktecoAttlog)
        #expect(r.lines == 11_902)
        #expect(r.punches.count == 11_902)
        #expect(r.quality.isEmpty)
        #expect(r.blankLines == 0)
        #expect(Set(r.punches.map(\.badge)).count == 90)
        #expect(Set(r.punches.compactMap(\.state)) == [0, 1, 4, 5])
        let first = try #require(r.punches.first)
        #expect(first.badge == "5" && first.time == .at("2020-02-24 10:52:43") && first.source == SourceRef(file: 3, line: 1))
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func scenario10BadLinesAreLines4And8AndTheRestArePunches() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("scenarios/10-bad-lines/badges/1_attlog.dat"))
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "badges/1_attlog.dat", fileIndex: 0)
        #expect(r.format == .zktecoAttlog)
        #expect(r.quality.map(\.line) == [4, 8])
        #expect(r.quality.map(\.file) == ["badges/1_attlog.dat", "badges/1_attlog.dat"])
        #expect(r.lines == 13)
        #expect(r.punches.count == 11)
        #expect(r.punches.map(\.source.line) == [1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 13])
        #expect(r.punches.last?.badge == "9999")
        #expect(r.quality[1].message.hasPrefix("time: \"2026-13-02 08:00:00\""))
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func scenario09GB18030ExportWithATitleRowAndMinutes() throws {
        let url = try IngestFixtures.require(IngestFixtures.shared("scenarios/09-csv-gb18030/badges/export.csv"))
        let r = try BadgeFileReader.read(contentsOf: url, displayName: "badges/export.csv", fileIndex: 0)
        #expect(r.format == .csv)
        #expect(r.quality.isEmpty)
        let raw = try Data(contentsOf: url)
        let expectedLines = raw.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            - (raw.last == UInt8(ascii: "\n") ? 1 : 0)
        #expect(r.lines == expectedLines)
        #expect(r.blankLines == 2)  // the title 考勤记录表 and the header
        #expect(r.punches.count == expectedLines - 2)
        let first = try #require(r.punches.first)
        #expect(first.badge == "1001")
        #expect(first.time == .at("2026-11-02 08:52:00"))
        #expect(first.reader == "1")
        #expect(first.source.line == 3)
        #expect(r.punches.contains { $0.badge == "1004" && $0.time == .at("2026-11-02 09:05:00") })
        #expect(IngestFixtures.accountsForEveryLine(r))
    }

    @Test func everyHolidayCNFileLoads() throws {
        var calendars: [HolidayCalendar] = []
        for year in 2007...2027 {
            let url = try IngestFixtures.require(IngestFixtures.shared("data/real/holiday-cn/\(year).json"))
            let calendar = try HolidayFileReader.read(contentsOf: url, displayName: "\(year).json")
            if year < 2027 { #expect(!calendar.offDays.isEmpty, "\(year).json has days off") }
            calendars.append(calendar)
        }
        let all = HolidayFileReader.merge(calendars)
        #expect(all.offDays[CivilDate("2024-10-01")!] == "国庆节")
        #expect(all.workDays[CivilDate("2024-10-12")!] == "国庆节")  // 调休: a Saturday worked
        #expect(all.isWorkday(CivilDate("2024-10-12")!, workweek: [.mon, .tue, .wed, .thu, .fri]))
        #expect(!all.isWorkday(CivilDate("2024-10-01")!, workweek: [.mon, .tue, .wed, .thu, .fri]))
    }
}
