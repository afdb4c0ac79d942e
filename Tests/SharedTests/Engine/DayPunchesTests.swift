import Foundation
import Testing
@testable import Shared

/// Every punch of the day of the people with an anomaly (summary schema 3): the punches in their
/// shift instances' windows of the date, with file, line, reader and direction; nobody else's.
@Suite struct DayPunchesTests {
    /// p is late on 2026-11-03 (day shift 09:00–17:30, window 08:00–19:30); q is on time.
    private func office() -> Office {
        var o = Office()
        o.people = [Person(id: "p", name: "P", unit: UnitPath("局/办公室")), Person(id: "q", name: "Q", unit: UnitPath("局/办公室"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        o.readers = [ReaderConfig(id: "in", direction: .entrance), ReaderConfig(id: "out", direction: .exit),
                     ReaderConfig(id: "gate", direction: .state)]
        o.punch("p", "2026-11-03 07:59", reader: "in")                 // before the window
        o.punch("p", "2026-11-03 09:20", reader: "in")                 // late: the evidence
        o.punch("p", "2026-11-03 09:20:30", reader: "in")              // a double swipe the debounce drops
        o.punch("p", "2026-11-03 12:01", reader: "gate", state: 1)     // lunch out, by state
        o.punch("p", "2026-11-03 12:55", reader: "1", file: "badges/2.csv")
        o.punch("p", "2026-11-03 17:40", reader: "out")
        o.punch("p", "2026-11-03 19:31", reader: "out")                // after the window
        o.punch("q", "2026-11-03 08:50", reader: "in")
        o.punch("q", "2026-11-03 17:35", reader: "out")
        return o
    }

    @Test func thePunchesOfTheWindowsOfEachAccusedPersonDay() throws {
        let o = office()
        let request = EvaluationRequest(from: day("2026-11-03"), to: day("2026-11-03"), completeThrough: day("2026-11-03"))
        let evaluation = AttendanceEngine.evaluate(o.input, request)
        #expect(evaluation.charged == ["p 2026-11-03 late 20"])
        let found = AttendanceEngine.dayPunches(o.input, request, for: evaluation.anomalies)
        let days = try #require(found[day("2026-11-03")])
        #expect(days.map(\.person) == ["p"], "q has no anomaly")
        let punches = days[0].punches
        #expect(punches.map { String($0.time.description.suffix(8)) } == ["09:20:00", "09:20:30", "12:01:00", "12:55:00", "17:40:00"])
        #expect(punches.map(\.direction) == [.entrance, .entrance, .exit, .unknown, .exit])
        #expect(punches.map(\.reader) == ["in", "in", "gate", "1", "out"])
        #expect(punches[3].file == "badges/2.csv" && punches[3].line == 1)
        #expect(punches[0].file == "badges/1_attlog.dat" && punches[0].line == 2)
        #expect(days[0].omitted == 0)
        // The evidence is one of them, the same record.
        let evidence = try #require(evaluation.anomalies.first?.evidence.first)
        #expect(punches.contains(evidence))
    }

    @Test func anAbsentPersonHasAnEntryWithoutPunchesAndTheBoundCountsTheRest() throws {
        var o = office()
        o.people.append(Person(id: "r", name: "R", unit: UnitPath("局/办公室")))
        for i in 0..<230 { o.punch("q", "2026-11-03 10:\(String(format: "%02d", i / 4)):\(String(format: "%02d", (i % 4) * 15))", reader: "1") }
        o.punch("q", "2026-11-03 08:50:00", reader: "in")
        let request = EvaluationRequest(from: day("2026-11-03"), to: day("2026-11-03"), completeThrough: day("2026-11-03"))
        let evaluation = AttendanceEngine.evaluate(o.input, request)
        let accused = evaluation.anomalies + [Anomaly(id: "x", person: "q", name: "Q", unit: UnitPath("局/办公室"),
                                                      date: day("2026-11-03"), shift: "day", duty: false, kind: .offPost,
                                                      minutes: 1, severity: .minor, excused: false, reason: nil, evidence: [])]
        let days = try #require(AttendanceEngine.dayPunches(o.input, request, for: accused)[day("2026-11-03")])
        #expect(days.map(\.person) == ["p", "q", "r"])
        #expect(days[2].punches.isEmpty && days[2].omitted == 0, "r was absent: looked at, nothing found")
        #expect(days[1].punches.count == DaySummary.dayPunchLimit)
        #expect(days[1].omitted == 3 + 230 - DaySummary.dayPunchLimit)
        #expect(days[1].punches.first?.time == at("2026-11-03 08:50"), "the first ones are kept, in time order")
    }

    @Test func aNightDutyTakesThePunchesOfItsWindowIntoTheNextMorning() throws {
        var o = Office()
        o.people = [Person(id: "d", name: "D", unit: UnitPath("局/办公室"))]
        o.rosterDuty("2026-11-02", "d")
        o.punch("d", "2026-11-02 19:58", reader: "1")
        o.punch("d", "2026-11-03 07:10", reader: "1")
        o.punch("d", "2026-11-03 10:30", reader: "1")   // past the window (08:00 + 120 minutes)
        let request = EvaluationRequest(from: day("2026-11-02"), to: day("2026-11-03"), completeThrough: day("2026-11-03"))
        let evaluation = AttendanceEngine.evaluate(o.input, request)
        #expect(evaluation.charged == ["d 2026-11-02 early_leave 50"])
        let found = AttendanceEngine.dayPunches(o.input, request, for: evaluation.anomalies)
        #expect(found.keys.sorted() == [day("2026-11-02")])
        #expect(found[day("2026-11-02")]?.first?.punches.map(\.time) == [at("2026-11-02 19:58"), at("2026-11-03 07:10")])
    }

    @Test func summariesWithoutAnomaliesAreUnchangedAndWithThemAreVersion3() throws {
        let o = office()
        let request = EvaluationRequest(from: day("2026-11-03"), to: day("2026-11-03"), completeThrough: day("2026-11-03"))
        let evaluation = AttendanceEngine.evaluate(o.input, request)
        let found = AttendanceEngine.dayPunches(o.input, request, for: evaluation.anomalies)
        let generated = Date(timeIntervalSince1970: 1_794_880_800)
        let with = try #require(DaySummary.build(from: evaluation, dates: [day("2026-11-03")], agent: "a", site: "s",
                                                 generatedAt: generated, dayPunches: found).first)
        let without = try #require(DaySummary.build(from: evaluation, dates: [day("2026-11-03")], agent: "a", site: "s",
                                                    generatedAt: generated).first)
        // p's lunch exit is never closed by an entrance: a suspected off-post, so without day punches version 2.
        #expect(evaluation.anomalies.contains { $0.suspected })
        #expect(with.schema == 3 && without.schema == 2)
        #expect(with.withoutDayPunches() == without)
        #expect(try DaySummary.canonicalEncoder.encode(with.withoutDayPunches()) == DaySummary.canonicalEncoder.encode(without))
        let decoded = try DaySummary.decoder.decode(DaySummary.self, from: DaySummary.canonicalEncoder.encode(with))
        #expect(decoded == with && decoded.contentDigest() == with.digest)
    }
}
