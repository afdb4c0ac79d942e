import Testing
@testable import Shared

/// Away intervals and `off_post`: by the exit and entrance readers, by a punch off the posts,
/// never guessed without direction, outside breaks and leave, one per instance.
@Suite struct OffPostTests {
    /// A duty officer on night duty (posts: duty-room) and a clerk on the day shift.
    private func office() -> Office {
        var o = Office()
        o.shifts = Office.standardShifts(posts: ["duty-room"])
        o.people = [Person(id: "duty", name: "D", unit: UnitPath("局/值班室")),
                    Person(id: "clerk", name: "C", unit: UnitPath("局/办公室"))]
        o.schedules = [Schedule(persons: ["clerk"], shift: "day", days: .workdays)]
        o.readers = [ReaderConfig(id: "door", direction: .unknown),
                     ReaderConfig(id: "room-in", post: "duty-room", direction: .entrance),
                     ReaderConfig(id: "room-out", post: "duty-room", direction: .exit),
                     ReaderConfig(id: "gate-in", direction: .entrance),
                     ReaderConfig(id: "gate-out", direction: .exit)]
        o.rosterDuty("2026-11-02", "duty")
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-03 08:05", reader: "room-out")
        return o
    }

    private func offPost(_ o: Office, _ person: String = "duty") -> [Anomaly] {
        o.check("2026-11-02").anomalies(person, .offPost)
    }

    @Test func exitAndEntranceReadersOpenAndCloseAnInterval() throws {
        var o = office()
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:16", reader: "room-in")
        let a = try #require(offPost(o).first)
        #expect(a.minutes == 16 && a.severity == .critical && a.duty)
        #expect(a.awayFrom == at("2026-11-02 23:00") && a.awayTo == at("2026-11-02 23:16"))
        #expect(a.evidence.map(\.reader) == ["room-out", "room-in"])
        #expect(a.evidence.map(\.direction) == [.exit, .entrance])
    }

    @Test func anIntervalAtTheLimitIsNotCharged() {
        var o = office()
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:15", reader: "room-in")
        #expect(offPost(o).isEmpty)
    }

    @Test func eachIntervalIsComparedWithTheLimitAndTheChargedOnesAreSummed() throws {
        var o = office()
        for (t, r) in [("21:00", "room-out"), ("21:20", "room-in"), ("23:00", "room-out"), ("23:10", "room-in"),
                       ("23:30", "room-out"), ("23:50", "room-in")] {
            o.punch("duty", "2026-11-02 " + t, reader: r)
        }
        let all = offPost(o)
        #expect(all.count == 1)
        let a = try #require(all.first)
        #expect(a.minutes == 40)
        #expect(a.awayFrom == at("2026-11-02 21:00") && a.awayTo == at("2026-11-02 23:50"))
        #expect(a.evidence.count == 4)
    }

    @Test func aPunchAtAReaderOffThePostsStartsAnAbsenceFromThePost() throws {
        var o = office()
        o.punch("duty", "2026-11-02 21:00", reader: "door")
        o.punch("duty", "2026-11-02 21:30", reader: "gate-in")  // an entrance, but not the post
        o.punch("duty", "2026-11-02 21:50", reader: "room-in")
        let a = try #require(offPost(o).first)
        #expect(a.minutes == 50)
    }

    @Test func noAwayTimeIsGuessedWithoutDirection() {
        var o = Office()
        o.people = [Person(id: "clerk", name: "C", unit: UnitPath("局"))]
        o.schedules = [Schedule(units: [UnitPath("局")], shift: "day", days: .workdays)]
        for t in ["08:58", "10:00", "11:30", "15:00", "17:31"] { o.punch("clerk", "2026-11-02 " + t) }
        #expect(o.check("2026-11-02").anomalies.isEmpty)
    }

    @Test func aWorkShiftUsesTheExitAndEntranceReadersAndItsOwnLimit() throws {
        var o = office()
        o.punch("clerk", "2026-11-02 08:55", reader: "gate-in")
        o.punch("clerk", "2026-11-02 10:00", reader: "gate-out")
        o.punch("clerk", "2026-11-02 10:30", reader: "gate-in")  // 30 minutes: at the limit
        o.punch("clerk", "2026-11-02 15:00", reader: "gate-out")
        o.punch("clerk", "2026-11-02 16:31", reader: "gate-in")  // 91 minutes
        o.punch("clerk", "2026-11-02 17:35", reader: "gate-out")
        let a = try #require(offPost(o, "clerk").first)
        #expect(a.minutes == 91 && a.severity == .critical && !a.duty)
    }

    @Test func breaksAreNotAwayTime() throws {
        var o = office()
        o.punch("clerk", "2026-11-02 08:55", reader: "gate-in")
        o.punch("clerk", "2026-11-02 11:50", reader: "gate-out")
        o.punch("clerk", "2026-11-02 14:00", reader: "gate-in")  // 10 before and 30 after the break
        o.punch("clerk", "2026-11-02 17:35", reader: "gate-out")
        let a = try #require(offPost(o, "clerk").first)
        #expect(a.minutes == 40 && a.severity == .serious)
        var lunch = office()
        lunch.punch("clerk", "2026-11-02 08:55", reader: "gate-in")
        lunch.punch("clerk", "2026-11-02 12:01", reader: "gate-out")
        lunch.punch("clerk", "2026-11-02 13:29", reader: "gate-in")
        lunch.punch("clerk", "2026-11-02 17:35", reader: "gate-out")
        #expect(offPost(lunch, "clerk").isEmpty)
    }

    @Test func anIntervalNeverClosedIsSuspectedNotCharged() {
        // Left the room at 23:00 and was next seen leaving by the door at 07:58: no punch says when
        // (or whether) the officer came back, so nothing is charged: it is a suspicion for HR.
        var o = office()
        o.punches = []
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-03 07:58", reader: "door")
        let e = o.check("2026-11-02")
        #expect(e.anomalies("duty", .offPost).allSatisfy { $0.suspected })
        #expect(e.suspectedLines == ["duty 2026-11-02 off_post 538"])
        // The departure closes nothing, even at the post: still suspected, up to the shift's end.
        var late = o
        late.punch("duty", "2026-11-03 08:05", reader: "room-out")
        let l = late.check("2026-11-02")
        #expect(l.anomalies("duty", .offPost).allSatisfy { $0.suspected })
        #expect(l.suspectedLines == ["duty 2026-11-02 off_post 540"])
    }

    @Test func awayTimeInsideALeaveIsNotAway() {
        var o = office()
        o.punch("duty", "2026-11-02 22:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:00", reader: "room-in")
        o.leave("duty", from: "2026-11-02 21:50", to: "2026-11-02 22:50", kind: "外出")
        // 22:50 to 23:00 remains: 10 minutes, under the 15-minute limit.
        #expect(offPost(o).isEmpty)
    }

    @Test func awayTimeOutsideTheShiftIsNotCounted() throws {
        var o = office()
        o.punches = []
        o.punch("duty", "2026-11-02 19:10", reader: "room-in")
        o.punch("duty", "2026-11-02 19:20", reader: "room-out")
        o.punch("duty", "2026-11-02 20:20", reader: "room-in")  // away 19:20-20:20, 20 minutes of it on duty
        o.punch("duty", "2026-11-03 08:05", reader: "room-out")
        let a = try #require(offPost(o).first)
        #expect(a.minutes == 20)
    }
}
