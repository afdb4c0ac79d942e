import Testing
@testable import Shared

/// Live duty judging (`DutyWatch`): a night duty 20:00–08:00 at the duty room (limit 15), judged at
/// several moments as the punches come in, against what the day's engine then says.
@Suite struct DutyWatchTests {
    private func office() -> Office {
        var o = Office()
        o.shifts = Office.standardShifts(posts: ["duty-room"])
        o.people = [Person(id: "duty", name: "张伟", unit: UnitPath("局/值班室")),
                    Person(id: "other", name: "王芳", unit: UnitPath("局/办公室"))]
        o.readers = [ReaderConfig(id: "room-in", post: "duty-room", direction: .entrance),
                     ReaderConfig(id: "room-out", post: "duty-room", direction: .exit),
                     ReaderConfig(id: "gate", direction: .unknown)]
        o.rosterDuty("2026-11-02", "duty")
        return o
    }

    private func judge(_ o: Office, _ now: String, offline: Set<String> = []) -> [String] {
        DutyWatch.judge(o.input, now: at(now), offlineReaders: offline).map {
            "\($0.kind.rawValue) \($0.person ?? "-") \($0.since.timeOfDay)" + ($0.minutes.map { " \($0)" } ?? "")
        }
    }

    @Test func notArrivedOnlyAfterStartPlusGrace() {
        let o = office()
        #expect(judge(o, "2026-11-02 20:05:00").isEmpty)
        #expect(judge(o, "2026-11-02 20:05:01") == ["not_arrived duty 20:00:00"])
        // Still not there at midnight: the same alert (same id), never a second one.
        let a = DutyWatch.judge(o.input, now: at("2026-11-02 20:06"))
        let b = DutyWatch.judge(o.input, now: at("2026-11-03 00:00"))
        #expect(a.map(\.id) == b.map(\.id) && a.count == 1)
        #expect(a.first?.due == at("2026-11-02 20:05"))
        #expect(a.first?.sentence(.zh) == "张伟（局/值班室）应于 20:00 到duty-room值班（night-duty），截至 20:05 未见打卡。")
        #expect(a.first?.sentence(.en) == "张伟 (局/值班室) was due on duty night-duty (duty-room) at 20:00 and has not badged in by 20:05.")
    }

    @Test func arrivalEndsTheNotArrivedCondition() {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        #expect(judge(o, "2026-11-02 21:00").isEmpty)
    }

    @Test func awayPastTheLimitThenBack() {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        #expect(judge(o, "2026-11-02 23:15").isEmpty)
        #expect(judge(o, "2026-11-02 23:16") == ["away_over_limit duty 23:00:00 15"])
        let away = DutyWatch.judge(o.input, now: at("2026-11-02 23:20"))
        #expect(away.first?.due == at("2026-11-02 23:15:01"))
        o.punch("duty", "2026-11-02 23:40", reader: "room-in")
        #expect(judge(o, "2026-11-02 23:41") == ["returned duty 23:00:00 40"])
        // The day's digest says the same interval: off_post 40 minutes from 23:00 to 23:40.
        o.punch("duty", "2026-11-03 08:01", reader: "room-out")
        let day = o.check("2026-11-02").anomalies("duty", .offPost)
        #expect(day.count == 1 && day[0].minutes == 40 && day[0].awayFrom == at("2026-11-02 23:00"))
        // An hour after the return it is no longer news.
        #expect(judge(o, "2026-11-03 00:41").isEmpty)
    }

    @Test func aPunchAtAnotherReaderOpensAnAbsenceFromThePost() {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 22:00", reader: "gate")
        #expect(judge(o, "2026-11-02 22:20") == ["away_over_limit duty 22:00:00 15"])
    }

    @Test func aShortAbsenceRaisesNothing() {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:10", reader: "room-in")
        #expect(judge(o, "2026-11-02 23:30").isEmpty)
    }

    @Test func debouncedRepeatSwipesAreOnePunch() {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:00:30", reader: "room-in")  // within debounce: not a return
        #expect(judge(o, "2026-11-02 23:20") == ["away_over_limit duty 23:00:00 15"])
    }

    @Test func onLeaveRaisesNothing() {
        var o = office()
        o.leave("duty", days: "2026-11-02", "2026-11-02", kind: "年假")
        #expect(judge(o, "2026-11-02 22:00").isEmpty)
    }

    @Test func leaveAtTheStartMovesTheDueTime() {
        var o = office()
        o.leave("duty", from: "2026-11-02 20:00", to: "2026-11-02 21:00", kind: "外出")
        #expect(judge(o, "2026-11-02 21:00").isEmpty)
        #expect(judge(o, "2026-11-02 21:06") == ["not_arrived duty 21:00:00"])
    }

    @Test func onlyInstancesInProgressAreJudged() {
        let o = office()
        // Before the start, and long after the end (an agent started the next afternoon): nothing.
        #expect(judge(o, "2026-11-02 19:00").isEmpty)
        #expect(judge(o, "2026-11-03 09:00").isEmpty)
    }

    @Test func postReadersOfflineMeansNotJudged() {
        let o = office()
        #expect(judge(o, "2026-11-02 21:00", offline: ["room-in", "room-out"]).isEmpty)
        #expect(judge(o, "2026-11-02 21:00", offline: ["room-in"]).count == 1)
    }

    @Test func workShiftsAreNotWatched() {
        var o = office()
        o.schedules = [Schedule(persons: ["other"], shift: "day", days: .workdays)]
        #expect(judge(o, "2026-11-02 10:00").isEmpty)
    }

    @Test func messagesUseTheVocabularyAndTheSiteClock() throws {
        var o = office()
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        o.punch("duty", "2026-11-02 23:40", reader: "room-in")
        let back = try #require(DutyWatch.judge(o.input, now: at("2026-11-02 23:41")).first)
        #expect(back.title(.zh) == "已返回")
        #expect(back.sentence(.zh) == "张伟（局/值班室）已于 23:40 返回duty-room，离岗 40 分钟（自 23:00 起）。")
        #expect(back.evidence.map(\.reader) == ["room-out", "room-in"])
    }

    @Test func oldPunchesAreLeftOutWithoutMovingTheEvidence() throws {
        var o = office()
        o.punch("duty", "2026-10-20 08:00", reader: "gate")
        o.punch("other", "2026-10-21 08:00", reader: "room-out")
        o.punch("duty", "2026-11-02 19:55", reader: "room-in")
        o.punch("duty", "2026-11-02 23:00", reader: "room-out")
        let away = try #require(DutyWatch.judge(o.input, now: at("2026-11-02 23:20")).first)
        #expect(away.kind == .awayOverLimit && away.evidence.map(\.reader) == ["room-out"])
        #expect(away.evidence.first?.line == 4 && away.evidence.first?.time == at("2026-11-02 23:00"))
    }

    @Test func readerOfflineAfterTheLimit() {
        let calls = ["3": at("2026-11-02 21:00")]
        #expect(DutyWatch.offlineReaders(site: "s", lastCalls: calls, now: at("2026-11-02 21:10"), offlineMinutes: 10).isEmpty)
        let a = DutyWatch.offlineReaders(site: "s", lastCalls: calls, now: at("2026-11-02 21:11"), offlineMinutes: 10)
        #expect(a.map(\.kind) == [.readerOffline] && a[0].sentence(.zh).contains("读卡器 3 自 21:00 起无联络"))
    }
}
