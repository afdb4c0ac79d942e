import Testing
@testable import Shared

/// What every anomaly carries: stable id, evidence with file and line, person fields, order.
@Suite struct AnomalyRecordTests {
    private func office() -> Office {
        var o = Office.scenario("site-a")
        o.punch("1002", "2026-11-02 09:12:00", file: "badges/1_attlog.dat")
        o.punch("1002", "2026-11-02 17:10:00", file: "badges/2_attlog.dat")
        o.punch("1003", "2026-11-02 08:59:00", file: "badges/1_attlog.dat")
        return o
    }

    @Test func idsAreEqualAcrossRunsAndInputOrder() {
        let first = office().check("2026-11-02")
        var shuffled = office()
        shuffled.punches.reverse()
        let second = shuffled.check("2026-11-02")
        #expect(first.anomalies.map(\.id) == second.anomalies.map(\.id))
        #expect(first.anomalies == second.anomalies)
    }

    @Test func idsDifferAcrossKindsPersonsAndSites() {
        let e = office().check("2026-11-02")
        let ids = e.anomalies.map(\.id)
        #expect(Set(ids).count == ids.count)
        let wang = e.anomalies.filter { $0.person == "1002" }
        #expect(wang.map(\.kind) == [.late, .earlyLeave])
        var other = office()
        other.siteID = "site-b"
        #expect(Set(other.check("2026-11-02").anomalies.map(\.id)).isDisjoint(with: ids))
        #expect(wang[0].id == StableID.anomaly(site: "site-a", person: "1002", date: day("2026-11-02"), shift: "day",
                                               kind: .late, start: at("2026-11-02 09:00")))
    }

    @Test func evidenceNamesFileLineTimeAndReader() throws {
        let e = office().check("2026-11-02")
        let late = try #require(e.anomalies("1002", .late).first)
        #expect(late.evidence == [Evidence(file: "badges/1_attlog.dat", line: 1, time: at("2026-11-02 09:12"),
                                           reader: "1", direction: .unknown)])
        let early = try #require(e.anomalies("1002", .earlyLeave).first)
        #expect(early.evidence.map(\.file) == ["badges/2_attlog.dat"] && early.evidence.map(\.line) == [1])
        let missing = try #require(e.anomalies("1003", .missingOut).first)
        #expect(missing.evidence.map(\.line) == [2])
        #expect(e.anomalies.allSatisfy { !$0.evidence.isEmpty || $0.kind == .absent })
    }

    @Test func anomaliesCarryThePersonAndTheShift() throws {
        let e = office().check("2026-11-02")
        let a = try #require(e.anomalies("1002", .late).first)
        #expect(a.name == "王芳" && a.unit == UnitPath("市场监管局/办公室") && a.shift == "day" && !a.duty)
        #expect(a.date == day("2026-11-02") && a.severity == .minor && !a.excused)
    }

    @Test func anomaliesAreOrderedByUnitPersonDateAndKind() {
        var o = office()
        o.punch("1003", "2026-11-03 08:55")
        o.punch("1003", "2026-11-03 17:35")
        let e = o.check("2026-11-02", "2026-11-03")
        let keys = e.anomalies.map { "\($0.unit)|\($0.person)|\($0.date)|\($0.kind.rawValue)" }
        #expect(keys == [
            "市场监管局/办公室|1001|2026-11-02|absent",
            "市场监管局/办公室|1001|2026-11-03|absent",
            "市场监管局/办公室|1002|2026-11-02|late",
            "市场监管局/办公室|1002|2026-11-02|early_leave",
            "市场监管局/办公室|1002|2026-11-03|absent",
            "市场监管局/执法大队|2001|2026-11-02|absent",
            "市场监管局/执法大队|2001|2026-11-03|absent",
            "市场监管局/食品科|1003|2026-11-02|missing_out",
            "市场监管局/食品科|1004|2026-11-02|absent",
            "市场监管局/食品科|1004|2026-11-03|absent",
        ])
        #expect(e.instances.count == 10)
    }
}
