import Testing
@testable import Shared

/// "One reader silent": the people who rely on a reader that recorded nothing on a date while the
/// others worked are unverified, not absent; one person's silence is no evidence of a dead reader.
@Suite struct ReaderSilenceTests {
    /// Scenario 11's office: 办公室 (1001, 1002) badge at reader 2, everyone else at reader 1.
    private func office(days: [String] = ["02", "03", "04", "05", "06"]) -> Office {
        var o = Office.scenario("silent")
        for d in days {
            for p in ["1001", "1002"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "2", file: "badges/2_attlog.dat")
                o.punch(p, "2026-11-\(d) 17:35", reader: "2", file: "badges/2_attlog.dat")
            }
            for p in ["1003", "1004", "2001"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "1")
                o.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        return o
    }

    @Test func thePeopleWhoRelyOnASilentReaderAreUnverified() throws {
        var o = office()
        o.punch("1003", "2026-11-09 08:55", reader: "1")
        o.punch("1003", "2026-11-09 17:35", reader: "1")
        o.punch("1004", "2026-11-09 09:20", reader: "1")
        o.punch("1004", "2026-11-09 17:35", reader: "1")
        let e = o.check("2026-11-02", "2026-11-09")
        #expect(e.charged == ["1004 2026-11-09 late 20", "2001 2026-11-09 absent 420"])
        #expect(e.status("1001", "2026-11-09") == .unverified)
        #expect(e.status("1002", "2026-11-09") == .unverified)
        #expect(e.status("2001", "2026-11-09") == .absent)
        let item = try #require(e.quality.first { $0.kind == .readerSilent })
        #expect(item.reader == "2" && item.date == day("2026-11-09") && item.count == 2)
        #expect(item.message.contains("张伟 (1001)") && item.message.contains("王芳 (1002)"))
        #expect(item.people == ["张伟 (1001)", "王芳 (1002)"])
        #expect(Vocabulary(.zh).message(item).contains("（张伟（1001）、王芳（1002））"))
    }

    @Test func historyBeforeFromCountsForReliance() {
        var o = office()
        o.punch("1003", "2026-11-09 08:55", reader: "1")
        o.punch("1003", "2026-11-09 17:35", reader: "1")
        // Judging 9 November alone: the history of 2-6 November is still read.
        let e = o.check("2026-11-09")
        #expect(e.status("1001", "2026-11-09") == .unverified)
        #expect(e.charged.contains("1004 2026-11-09 absent 420"))
    }

    @Test func withoutHistoryBeforeTheFollowingThirtyDaysDecide() {
        var o = Office.scenario("after")
        // Nothing before 2 November; reader 2 is silent on the 2nd, works from the 3rd.
        for d in ["02", "03", "04"] {
            for p in ["1003", "1004", "2001"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "1")
                o.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        for d in ["03", "04"] {
            for p in ["1001", "1002"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "2")
                o.punch(p, "2026-11-\(d) 17:35", reader: "2")
            }
        }
        let e = o.check("2026-11-02", "2026-11-04")
        #expect(e.status("1001", "2026-11-02") == .unverified)
        #expect(e.charged.isEmpty)
    }

    @Test func onePersonsSilenceIsNoEvidenceOfADeadReader() {
        var o = office()
        // 1002 badges at reader 1 on the 9th; reader 2 recorded nothing.
        o.punch("1002", "2026-11-09 08:55", reader: "1")
        o.punch("1002", "2026-11-09 17:35", reader: "1")
        o.punch("1003", "2026-11-09 08:55", reader: "1")
        o.punch("1003", "2026-11-09 17:35", reader: "1")
        o.punch("1004", "2026-11-09 08:55", reader: "1")
        o.punch("1004", "2026-11-09 17:35", reader: "1")
        o.punch("2001", "2026-11-09 08:55", reader: "1")
        o.punch("2001", "2026-11-09 17:35", reader: "1")
        // 1001 and 1002 both rely on reader 2, so reader 2 is silent: both instances unverified,
        // 1002's own punches notwithstanding (the reader's silence makes the day unverifiable).
        let e = o.check("2026-11-02", "2026-11-09")
        #expect(e.status("1001", "2026-11-09") == .unverified)
        #expect(e.charged.isEmpty)

        var alone = Office.scenario("alone")
        for d in ["02", "03", "04", "05", "06"] {
            alone.punch("1001", "2026-11-\(d) 08:55", reader: "2")
            alone.punch("1001", "2026-11-\(d) 17:35", reader: "2")
            for p in ["1002", "1003", "1004", "2001"] {
                alone.punch(p, "2026-11-\(d) 08:55", reader: "1")
                alone.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        for p in ["1002", "1003", "1004", "2001"] {
            alone.punch(p, "2026-11-09 08:55", reader: "1")
            alone.punch(p, "2026-11-09 17:35", reader: "1")
        }
        let lone = alone.check("2026-11-02", "2026-11-09")
        #expect(lone.charged == ["1001 2026-11-09 absent 420"])
        #expect(!lone.quality.contains { $0.kind == .readerSilent })
    }

    /// 1002 alone relies on reader 2, silent on the 9th: whether it is a dead reader is known only
    /// once everyone's reliance is, so 1002's instance is judged after the others and its anomaly
    /// and outcome still come in the people's order.
    @Test func anInstanceJudgedAfterEveryoneKeepsItsPlace() {
        var o = Office.scenario("alone")
        for d in ["02", "03", "04", "05", "06"] {
            o.punch("1002", "2026-11-\(d) 08:55", reader: "2")
            o.punch("1002", "2026-11-\(d) 17:35", reader: "2")
            for p in ["1001", "1003", "1004", "2001"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "1")
                o.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        for (p, arrival) in [("1001", "09:10"), ("1002", "09:20"), ("2001", "09:30"), ("1003", "09:40"), ("1004", "08:55")] {
            o.punch(p, "2026-11-09 \(arrival)", reader: "1")
            o.punch(p, "2026-11-09 17:35", reader: "1")
        }
        let e = o.check("2026-11-02", "2026-11-09")
        // People in output order: 办公室 (1001, 1002), 执法大队 (2001), 食品科 (1003, 1004).
        #expect(e.anomalies.map { "\($0.person) \($0.kind.rawValue) \($0.minutes)" }
                    == ["1001 late 10", "1002 late 20", "2001 late 30", "1003 late 40"])
        let ninth = e.instances.filter { $0.date == day("2026-11-09") }
        #expect(ninth.map(\.person) == ["1001", "1002", "2001", "1003", "1004"])
        #expect(ninth.map(\.status) == [.present, .present, .present, .present, .present])
        #expect(!e.quality.contains { $0.kind == .readerSilent })
    }

    @Test func aDatePastTheDataIsNeverSilent() {
        var o = office()
        o.punch("1003", "2026-11-09 08:55", reader: "1")
        // Not complete: reader 2's watermark (6 November) keeps the 9th pending, never silent.
        let e = o.check("2026-11-02", "2026-11-09", complete: false)
        #expect(e.status("1001", "2026-11-09") == .pending)
        #expect(!e.quality.contains { $0.kind == .readerSilent })
    }

    /// 1001 and 1002 with `share` of their ten punches of 2-6 November at reader 2, the rest at reader 1.
    private func shared(_ atTwo: Set<String>) -> Office {
        var o = Office.scenario("fifth")
        for d in ["02", "03", "04", "05", "06"] {
            for p in ["1001", "1002"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: atTwo.contains(d) ? "2" : "1")
                o.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        o.punch("1003", "2026-11-09 08:55", reader: "1")
        o.punch("1003", "2026-11-09 17:35", reader: "1")
        return o
    }

    @Test func aRelianceOfAFifthIsEnough() {
        let e = shared(["02", "03"]).check("2026-11-09")  // 2 of 10
        #expect(e.status("1001", "2026-11-09") == .unverified)
        #expect(e.status("1002", "2026-11-09") == .unverified)
    }

    @Test func lessThanAFifthIsNoReliance() {
        let e = shared(["02"]).check("2026-11-09")  // 1 of 10
        #expect(e.status("1001", "2026-11-09") == .absent)
        #expect(!e.quality.contains { $0.kind == .readerSilent })
    }
}
