import Testing
@testable import Shared

/// "Employment and transfers": no instance before `joined` or after `left`; from a transfer's date
/// the person's schedules, anomalies and figures are the new unit's.
@Suite struct EmploymentTests {
    /// Day shift for 办公室 and 食品科, late shift for 执法大队 (scenario 13).
    private func office() -> Office {
        var o = Office.scenario("employment", schedule: false)
        o.schedules = [Schedule(units: [UnitPath("市场监管局/办公室"), UnitPath("市场监管局/食品科")], shift: "day", days: .workdays),
                       Schedule(units: [UnitPath("市场监管局/执法大队")], shift: "late", days: .workdays)]
        o.people = [Person(id: "1001", name: "张伟", unit: UnitPath("市场监管局/办公室"), joined: day("2026-11-04")),
                    Person(id: "1002", name: "王芳", unit: UnitPath("市场监管局/办公室"), left: day("2026-11-03")),
                    Person(id: "1003", name: "李娜", unit: UnitPath("市场监管局/食品科"))]
        for d in ["02", "03", "04", "05"] {  // someone badges every day: no date is reader-silent
            o.punch("1003", "2026-11-\(d) 08:55")
            o.punch("1003", "2026-11-\(d) 17:35")
        }
        return o
    }

    @Test func noInstanceBeforeJoinedOrAfterLeft() {
        let e = office().check("2026-11-02", "2026-11-05")
        #expect(e.instances.filter { $0.person == "1001" }.map(\.date) == [day("2026-11-04"), day("2026-11-05")])
        #expect(e.instances.filter { $0.person == "1002" }.map(\.date) == [day("2026-11-02"), day("2026-11-03")])
        // The joined and left dates themselves are worked: absent there, nowhere else.
        #expect(e.charged.filter { $0.hasPrefix("1001") || $0.hasPrefix("1002") }
                == ["1001 2026-11-04 absent 420", "1001 2026-11-05 absent 420",
                    "1002 2026-11-02 absent 420", "1002 2026-11-03 absent 420"])
    }

    @Test func aTransferChangesTheScheduleAndTheUnitFromItsDate() throws {
        var o = office()
        o.transfers = [Transfer(person: "1003", date: day("2026-11-03"), unit: UnitPath("市场监管局/执法大队"))]
        o.punch("1003", "2026-11-03 12:20")
        o.punch("1003", "2026-11-03 20:05")
        let e = o.check("2026-11-02", "2026-11-03")
        let mine = e.instances.filter { $0.person == "1003" }
        #expect(mine.map(\.shift) == ["day", "late"])
        #expect(mine.map(\.unit) == [UnitPath("市场监管局/食品科"), UnitPath("市场监管局/执法大队")])
        let late = try #require(e.anomalies("1003", .late).first)
        #expect(late.minutes == 20 && late.unit == UnitPath("市场监管局/执法大队"))
        let figures = DaySummary.build(from: e, dates: [day("2026-11-03")], agent: "a", site: "a",
                                       generatedAt: .init(timeIntervalSince1970: 0))[0].units
        #expect(figures.first { $0.unit == UnitPath("市场监管局/执法大队") }?.kinds[.late]?.count == 1)
        #expect(figures.first { $0.unit == UnitPath("市场监管局/食品科") } == nil)
    }

    @Test func aNightDutyBeganBeforeATransferStaysInTheOldUnit() throws {
        var o = office()
        o.rosterDuty("2026-11-02", "1003")
        o.transfers = [Transfer(person: "1003", date: day("2026-11-03"), unit: UnitPath("市场监管局/执法大队"))]
        let e = o.check("2026-11-02")
        let duty = try #require(e.anomalies.first { $0.person == "1003" && $0.shift == "night-duty" })
        #expect(duty.unit == UnitPath("市场监管局/食品科"))
    }

    @Test func transfersApplyInDateOrderWhateverTheFileOrder() {
        var o = office()
        o.transfers = [Transfer(person: "1003", date: day("2026-11-04"), unit: UnitPath("市场监管局/办公室")),
                       Transfer(person: "1003", date: day("2026-11-03"), unit: UnitPath("市场监管局/执法大队"))]
        let e = o.check("2026-11-02", "2026-11-04")
        #expect(e.instances.filter { $0.person == "1003" }.map(\.unit.description)
                == ["市场监管局/食品科", "市场监管局/执法大队", "市场监管局/办公室"])
    }
}
