import Testing
@testable import DutyAgent
import Shared

@Suite struct IngestTimestampParserTests {
    private func parse(_ text: String) -> TimestampParser.Result {
        Array(text.utf8).withUnsafeBufferPointer { TimestampParser.parse($0, 0, $0.count) }
    }

    @Test func fastAndGeneralPathsAgree() {
        #expect(parse("2026-11-02 08:05:09") == .time(.at("2026-11-02 08:05:09")))
        #expect(parse("2026-11-2 8:05:09") == .time(.at("2026-11-02 08:05:09")))
        #expect(parse("2024-02-29 23:59:59") == .time(.at("2024-02-29 23:59:59")))
    }

    @Test func namesWhatIsWrong() {
        #expect(parse("2047-02-30 19:13:30") == .noSuchDate)
        #expect(parse("2026-13-02 08:00:00") == .noSuchDate)
        #expect(parse("2026-11-02 08:60:00") == .noSuchTime)
        #expect(parse("2026-11-02 13:00 PM") == .noSuchTime)
        #expect(parse("2000-01-01 00:00:48") == .implausibleYear(2000))
        #expect(parse("2131-01-08 08:46:56") == .implausibleYear(2131))
        #expect(parse("2026-11-02T08:00:00Z") == .zoned)
        #expect(parse("2026-11-02") == .malformed)
        #expect(parse("20261102 0800") == .malformed)
        #expect(parse("2026-11-02 08:00:00x") == .malformed)
        #expect(parse("") == .malformed)
        #expect(parse("202-11-02 08:00") == .malformed)
    }

    @Test func datesAndClocksAlone() {
        let date = Array("2026/1/5".utf8).withUnsafeBufferPointer { TimestampParser.parseDate($0, 0, $0.count).0 }
        #expect(date == CivilDate("2026-01-05"))
        let clock = Array("8:05".utf8).withUnsafeBufferPointer { TimestampParser.parseClock($0, 0, $0.count).0 }
        #expect(clock == 8 * 3600 + 300)
        let bad = Array("8:5".utf8).withUnsafeBufferPointer { TimestampParser.parseClock($0, 0, $0.count).0 }
        #expect(bad == nil)
    }
}
