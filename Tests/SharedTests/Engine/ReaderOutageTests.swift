import Testing
@testable import Shared

/// A reader that pushes and stopped calling: the people who rely on it, whose windows overlap the
/// outage, are unverified; everyone else is judged as usual.
@Suite struct ReaderOutageTests {
    /// 办公室 (1001, 1002) badge at reader 2, the others at reader 1, on 2-6 November.
    private func office() -> Office {
        var o = Office.scenario("outage")
        for d in ["02", "03", "04", "05", "06"] {
            for p in ["1001", "1002"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "2", file: "adms/2_adms.dat")
                o.punch(p, "2026-11-\(d) 17:35", reader: "2", file: "adms/2_adms.dat")
            }
            for p in ["1003", "1004", "2001"] {
                o.punch(p, "2026-11-\(d) 08:55", reader: "1")
                o.punch(p, "2026-11-\(d) 17:35", reader: "1")
            }
        }
        // On the 9th reader 2 calls until 10:00, then is silent until 15:00; 1001 punched before.
        o.punch("1001", "2026-11-09 08:50", reader: "2", file: "adms/2_adms.dat")
        for p in ["1003", "1004"] {
            o.punch(p, "2026-11-09 08:55", reader: "1")
            o.punch(p, "2026-11-09 17:35", reader: "1")
        }
        return o
    }

    @Test func theRelyingPeopleOverlappingTheOutageAreUnverifiedWithTheInterval() throws {
        var o = office()
        o.outages = [ReaderOutage(reader: "2", device: "SN2", from: at("2026-11-09 10:00"), to: at("2026-11-09 15:00"))]
        let e = o.check("2026-11-02", "2026-11-09")
        #expect(e.status("1001", "2026-11-09") == .unverified)
        #expect(e.status("1002", "2026-11-09") == .unverified)
        #expect(e.status("1003", "2026-11-09") == .present)
        #expect(e.charged == ["2001 2026-11-09 absent 420"])
        let item = try #require(e.quality.first { $0.kind == .readerSilent && $0.interval != nil })
        #expect(item.reader == "2" && item.count == 2)
        #expect(item.interval == "2026-11-09 10:00:00 – 15:00:00")
        #expect(item.message.contains("SN2") && item.message.contains("张伟 (1001)"))
        #expect(Vocabulary(.zh).message(item).contains("2026-11-09 10:00:00 – 15:00:00"))
    }

    @Test func withoutTheOutageTheSamePeopleAreCharged() {
        let e = office().check("2026-11-02", "2026-11-09")
        #expect(e.status("1001", "2026-11-09") == .present)
        #expect(e.charged.contains("1002 2026-11-09 absent 420"))
    }

    @Test func anOutageOutsideTheWindowsChangesNothing() {
        var o = office()
        o.outages = [ReaderOutage(reader: "2", from: at("2026-11-09 22:00"), to: at("2026-11-09 23:30"))]
        let e = o.check("2026-11-02", "2026-11-09")
        #expect(e.charged.contains("1002 2026-11-09 absent 420"))
        #expect(!e.quality.contains { $0.interval != nil })
    }

    @Test func anOpenOutageRunsToNow() {
        var o = office()
        o.outages = [ReaderOutage(reader: "2", from: at("2026-11-09 16:00"), to: nil)]
        let e = o.check("2026-11-02", "2026-11-09", now: "2026-11-10 09:00")
        #expect(e.status("1002", "2026-11-09") == .unverified)
        #expect(e.quality.contains { $0.interval == "2026-11-09 16:00:00 – (still silent)" })
    }
}
