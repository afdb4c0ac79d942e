import Foundation
import Testing
@testable import DutyAgent
import Shared

@Suite struct IngestJSONLinesTests {
    @Test func readsObjectsWithKeyAliases() {
        let text = """
            {"badge": "1001", "time": "2026-11-02 08:55:00", "reader": "2", "state": 0}

            {"id": 1002, "datetime": "2026-11-02T17:35:00", "device": 3, "state": "out"}
            {"person": "1003", "Time": "2026/11/02 09:01"}
            """
        let r = IngestFixtures.badges(text, name: "punches.jsonl")
        #expect(r.format == .jsonLines)
        #expect(r.quality.isEmpty)
        #expect(r.punches.map(\.badge) == ["1001", "1002", "1003"])
        #expect(r.punches.map(\.reader) == ["2", "3", "punches"])
        #expect(r.punches.map(\.state) == [0, 1, nil])
        #expect(r.punches.map(\.time) == [.at("2026-11-02 08:55:00"), .at("2026-11-02 17:35:00"), .at("2026-11-02 09:01:00")])
        #expect(r.punches.map(\.source.line) == [1, 3, 4])
        #expect(r.lines == 4 && r.blankLines == 1)
    }

    @Test func badObjectsAreBadLines() {
        let text = """
            {"badge": "1001", "time": "2026-11-02 08:55:00"}
            {"badge": "1001", "time": 1762044900}
            {"badge": "1001"}
            {"time": "2026-11-02 08:55:00"}
            {"badge": "1001", "time": "2026-02-30 08:55:00"}
            not json
            """
        let r = IngestFixtures.badges(text, name: "p.jsonl")
        #expect(r.punches.count == 1)
        #expect(r.quality.map(\.line) == [2, 3, 4, 5, 6])
        #expect(r.quality[0].message.hasPrefix("time: not a text"))
        #expect(r.quality[1].message.hasPrefix("time: no time key"))
        #expect(r.quality[2].message.hasPrefix("badge: no badge key"))
        #expect(r.quality[3].message == "time: \"2026-02-30 08:55:00\" is a date that does not exist")
        #expect(r.quality[4].message.contains("is not a JSON object"))
        #expect(IngestFixtures.accountsForEveryLine(r))
    }
}

@Suite struct IngestFormatDetectionTests {
    @Test func contentDecidesNotTheName() {
        let attlog = IngestFixtures.badges("     1001\t2026-11-02 08:55:00\t1\t0\t1\t0\n", name: "export.csv")
        #expect(attlog.format == .zktecoAttlog)
        let csv = IngestFixtures.badges("id,time\n1001,2026-11-02 08:55:00\n", name: "2_attlog.dat")
        #expect(csv.format == .csv)
        let json = IngestFixtures.badges("\n{\"id\":\"1\",\"time\":\"2026-11-02 08:55:00\"}\n", name: "a.csv")
        #expect(json.format == .jsonLines)
    }

    @Test func corruptedFirstRowsStillReadAsAttlog() {
        let r = IngestFixtures.badges("ZZZZZZZZZZ\t2047-02-30 19:13:30\t1\t90\t90\t1515870810\n     1001\t2026-11-02 08:55:00\t1\t0\t1\t0\n",
                                      name: "x.dat")
        #expect(r.format == .zktecoAttlog)
        #expect(r.punches.count == 1 && r.quality.map(\.line) == [1])
    }

    @Test func unpaddedRecordsWithManyFieldsOrAnSNAreADMS() {
        #expect(IngestFixtures.badges("1\t2026-11-02 08:55:00\t0\t1\t0\t0\t0\n", name: "x.txt").format == .zktecoADMS)
        #expect(IngestFixtures.badges("1\t2026-11-02 08:55:00\t0\t1\t0\n", name: "x.txt", reader: "SN1").format == .zktecoADMS)
        #expect(IngestFixtures.badges("1\t2026-11-02 08:55:00\t1\t0\t1\t0\n", name: "x.txt").format == .zktecoAttlog)
        #expect(IngestFixtures.badges("1\t2026-11-02 08:55:00\t1\t0\t1\t0\t0\t0\n", name: "7_attlog.dat").format == .zktecoAttlog)
    }
}
