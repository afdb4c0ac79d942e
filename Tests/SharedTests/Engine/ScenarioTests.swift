import Testing
@testable import Shared

/// The ten scenarios of `shared/scenarios`, rebuilt by hand as engine input (the files' valid rows,
/// with their line numbers), checked against their `expected.json`.
@Suite struct ScenarioTests {
    @Test func s01LateEarlyGrace() {
        var o = Office.scenario("01-late-early-grace")
        for (b, t) in [("1001", "08:52:10"), ("1001", "17:35:02"), ("1002", "09:12:00"), ("1002", "17:40:00"),
                       ("1003", "08:59:00"), ("1003", "17:10:00"), ("1004", "09:05:00"), ("1004", "17:25:00"),
                       ("2001", "09:05:01"), ("2001", "17:24:59")] {
            o.punch(b, "2026-11-02 " + t)
        }
        let e = o.check("2026-11-02")
        #expect(e.charged == ["1002 2026-11-02 late 12", "1003 2026-11-02 early_leave 20",
                              "2001 2026-11-02 early_leave 6", "2001 2026-11-02 late 6"])
        #expect(e.quality.isEmpty)
    }

    @Test func s02AbsentMissing() {
        var o = Office.scenario("02-absent-missing")
        for (b, t) in [("1002", "08:55"), ("1003", "17:40"), ("1004", "08:58"), ("1004", "12:01"), ("1004", "13:29"),
                       ("1004", "17:31"), ("2001", "08:50"), ("2001", "17:45")] {
            o.punch(b, "2026-11-02 " + t)
        }
        let e = o.check("2026-11-02")
        #expect(e.charged == ["1001 2026-11-02 absent 420", "1002 2026-11-02 missing_out 0",
                              "1003 2026-11-02 missing_in 0"])
    }

    @Test func s03Debounce() {
        var o = Office.scenario("03-debounce")
        for (b, t) in [("1001", "09:20:00"), ("1001", "09:20:30"), ("1001", "17:31:00"), ("1002", "08:40:00"),
                       ("1002", "08:40:20"), ("1002", "08:40:50"), ("1003", "08:59:00"), ("1003", "17:29:30"),
                       ("1003", "17:29:45"), ("1004", "08:30:00"), ("1004", "18:00:00"), ("2001", "08:30:00"),
                       ("2001", "18:00:00")] {
            o.punch(b, "2026-11-02 " + t)
        }
        #expect(o.check("2026-11-02").charged == ["1001 2026-11-02 late 20", "1002 2026-11-02 missing_out 0"])
    }

    @Test func s04NightDuty() {
        var o = Office.scenario("04-night-duty", schedule: false)
        o.rosterDuty("2026-11-02", "2001")
        o.rosterDuty("2026-11-03", "1004")
        o.rosterDuty("2026-11-04", "1003")
        for (b, t) in [("2001", "2026-11-02 20:10"), ("2001", "2026-11-03 08:02"), ("1004", "2026-11-03 19:50"),
                       ("1004", "2026-11-04 07:30"), ("1001", "2026-11-04 09:00"), ("1001", "2026-11-05 09:00")] {
            o.punch(b, t)
        }
        let e = o.check("2026-11-02", "2026-11-04")
        #expect(e.charged == ["1003 2026-11-04 absent 720", "1004 2026-11-03 early_leave 30",
                              "2001 2026-11-02 late 10"])
        #expect(e.instances.count == 3)
        #expect(e.anomalies.allSatisfy { $0.duty })
    }

    @Test func s05OffPost() throws {
        var o = Office.scenario("05-off-post", schedule: false)
        o.shifts = Office.standardShifts(posts: ["duty-room"])
        o.readers = [ReaderConfig(id: "1", direction: .unknown), ReaderConfig(id: "2", post: "duty-room", direction: .entrance),
                     ReaderConfig(id: "3", post: "duty-room", direction: .exit)]
        o.rosterDuty("2026-11-02", "2001")
        o.rosterDuty("2026-11-03", "1004")
        o.punch("1004", "2026-11-03 21:00:00", reader: "1", file: "badges/1_attlog.dat")
        for (b, t) in [("2001", "2026-11-02 19:55"), ("2001", "2026-11-02 23:40"), ("2001", "2026-11-03 02:10"),
                       ("1004", "2026-11-03 20:00"), ("1004", "2026-11-03 21:50")] {
            o.punch(b, t, reader: "2", file: "badges/2_attlog.dat")
        }
        for (b, t) in [("2001", "2026-11-02 23:00"), ("2001", "2026-11-03 02:00"), ("2001", "2026-11-03 08:01"),
                       ("1004", "2026-11-04 08:00")] {
            o.punch(b, t, reader: "3", file: "badges/3_attlog.dat")
        }
        let e = o.check("2026-11-02", "2026-11-03")
        #expect(e.charged == ["1004 2026-11-03 off_post 50", "2001 2026-11-02 off_post 40"])
        let chen = try #require(e.anomalies("2001", .offPost).first)
        #expect(chen.severity == .critical)
        #expect(chen.awayFrom == at("2026-11-02 23:00") && chen.awayTo == at("2026-11-02 23:40"))
        #expect(chen.evidence.map(\.file) == ["badges/3_attlog.dat", "badges/2_attlog.dat"])
        #expect(chen.evidence.map(\.line) == [1, 2])
        let liu = try #require(e.anomalies("1004", .offPost).first)
        #expect(liu.evidence.map(\.reader) == ["1", "2"])
    }

    @Test func s06Holidays() {
        var o = Office.scenario("06-holidays")
        for d in ["2026-09-25", "2026-09-26", "2026-09-27"] { o.calendar.offDays[day(d)] = "中秋节" }
        for n in 1...7 { o.calendar.offDays[day("2026-10-0\(n)")] = "国庆节" }
        o.calendar.workDays[day("2026-09-20")] = "国庆节"
        o.calendar.workDays[day("2026-10-10")] = "国庆节"
        let everyone = ["1002", "1003", "1004", "2001"]
        for d in ["2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-28", "2026-09-29",
                  "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"] {
            let present = ["2026-09-20", "2026-10-08", "2026-10-10"].contains(d) ? everyone : everyone + ["1001"]
            for b in present {
                o.punch(b, d + " 08:55:00")
                o.punch(b, d + " 17:35:00")
            }
        }
        o.punch("1002", "2026-09-25 08:55:00")
        o.punch("1002", "2026-09-25 17:35:00")
        let e = o.check("2026-09-20", "2026-10-11")
        #expect(e.charged == ["1001 2026-09-20 absent 420", "1001 2026-10-08 absent 420", "1001 2026-10-10 absent 420"])
        #expect(e.instances.count == 5 * 11)
    }

    @Test func s07Leaves() {
        var o = Office.scenario("07-leaves")
        for (b, t) in [("1004", "2026-11-02 08:55"), ("1004", "2026-11-02 17:35"), ("2001", "2026-11-02 08:55"),
                       ("2001", "2026-11-02 17:35"), ("1002", "2026-11-02 10:55"), ("1002", "2026-11-02 17:35"),
                       ("1003", "2026-11-02 08:55"), ("1003", "2026-11-02 15:20")] {
            o.punch(b, t)
        }
        for d in ["2026-11-03", "2026-11-04"] {
            for b in ["1001", "1002", "1003"] {
                o.punch(b, d + " 08:55")
                o.punch(b, d + " 17:35")
            }
            o.punch("2001", d == "2026-11-03" ? d + " 09:40" : d + " 08:55")
            o.punch("2001", d + " 17:35")
        }
        o.leave("1001", days: "2026-11-02", "2026-11-02", kind: "annual")
        o.leave("1002", from: "2026-11-02 09:00", to: "2026-11-02 11:00", kind: "personal")
        o.leave("1003", from: "2026-11-02 15:30", to: "2026-11-02 17:30", kind: "trip")
        o.leave("1004", days: "2026-11-03", "2026-11-04", kind: "trip")
        let e = o.check("2026-11-02", "2026-11-04")
        #expect(e.charged == ["1003 2026-11-02 early_leave 10", "2001 2026-11-03 late 40"])
        #expect(e.excusedLines == ["1001 2026-11-02 absent 420 annual", "1004 2026-11-03 absent 420 trip",
                                   "1004 2026-11-04 absent 420 trip"])
    }

    @Test func s08ReaderOutage() throws {
        var o = Office.scenario("08-reader-outage")
        for b in ["1001", "1002", "1003", "1004", "2001"] {
            o.punch(b, "2026-11-03 08:55:00")
            o.punch(b, "2026-11-03 17:35:00")
        }
        let e = o.check("2026-11-02", "2026-11-03")
        #expect(e.anomalies.isEmpty)
        let silent = try #require(e.quality.first { $0.kind == .readerSilent })
        #expect(silent.date == day("2026-11-02") && silent.count == 5)
        #expect(e.instances.filter { $0.status == .unverified }.count == 5)
    }

    @Test func s09CSVMinutePrecision() {
        var o = Office.scenario("09-csv-gb18030")
        var line = 3
        for (b, t) in [("1001", "08:52"), ("1001", "17:35"), ("1002", "09:12"), ("1002", "17:40"), ("1003", "08:59"),
                       ("1003", "17:10"), ("1004", "09:05"), ("1004", "17:25"), ("2001", "09:06"), ("2001", "17:24")] {
            o.punch(b, "2026-11-02 " + t, state: nil, file: "badges/export.csv", line: line)
            line += 1
        }
        #expect(o.check("2026-11-02").charged == ["1002 2026-11-02 late 12", "1003 2026-11-02 early_leave 20",
                                                  "2001 2026-11-02 early_leave 6", "2001 2026-11-02 late 6"])
    }

    @Test func s10BadLinesUnknownBadge() throws {
        var o = Office.scenario("10-bad-lines")
        // Lines 4 and 8 are corrupted (ingest reports them); the rest are punches.
        for (line, b, t) in [(1, "1001", "08:55"), (2, "1001", "17:35"), (3, "1002", "08:55"), (5, "1002", "17:35"),
                             (6, "1003", "08:55"), (7, "1003", "17:35"), (9, "2001", "08:55"), (10, "2001", "17:35"),
                             (11, "1004", "09:31"), (12, "1004", "17:31"), (13, "9999", "09:00")] {
            o.punch(b, "2026-11-02 " + t, line: line)
        }
        let e = o.check("2026-11-02")
        #expect(e.charged == ["1004 2026-11-02 late 31"])
        let unknown = try #require(e.quality.first { $0.kind == .unknownBadge })
        #expect(unknown.badge == "9999" && unknown.line == 13 && unknown.file == "badges/1_attlog.dat")
        #expect(unknown.count == 1 && unknown.reader == "1")
    }
}
