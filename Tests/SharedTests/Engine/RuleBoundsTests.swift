import Testing
@testable import Shared

/// Rule values far out of range (2^63-1, negative) cannot make the engine's arithmetic trap: it
/// computes with values brought within 0…a day. The config reader refuses them first; this is the
/// guard for any other way a `RuleSettings` is made.
@Suite struct RuleBoundsTests {
    @Test(arguments: [Int.max, Int.min, -1, 1_000_000])
    func extremeRuleValuesDoNotTrapTheEngine(_ value: Int) {
        var o = Office.scenario("bounds")
        var rules = RuleSettings()
        rules.graceLate = value
        rules.graceEarly = value
        rules.checkInEarly = value
        rules.checkOutLate = value
        rules.awayLimit = value
        rules.debounceSeconds = value
        rules.seriousMinutes = value
        rules.absentMinutes = value
        for code in o.shifts.keys { o.shifts[code]?.rules = rules }
        o.punch("1001", "2026-11-02 09:40")
        o.punch("1001", "2026-11-02 16:00")
        let result = o.check("2026-11-02")
        #expect(result.anomalies.allSatisfy { $0.minutes >= 0 && $0.minutes <= 1440 })
    }

    @Test func boundedAccessorsClampToADay() {
        var rules = RuleSettings()
        rules.checkOutLate = Int.max
        rules.graceLate = -5
        rules.debounceSeconds = Int.max
        #expect(rules.minutes(\.checkOutLate) == 1440 && rules.seconds(\.checkOutLate) == 86_400)
        #expect(rules.minutes(\.graceLate) == 0)
        #expect(rules.boundedDebounceSeconds == 86_400)
        #expect(RuleSettings.maximum(forKey: "away_limit") == 1440)
    }
}
