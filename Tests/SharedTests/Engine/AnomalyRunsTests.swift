import Testing
@testable import Shared

/// The engine's anomalies, collected in runs, come out whole and in the order found.
@Suite struct AnomalyRunsTests {
    static func anomaly(_ n: Int) -> Anomaly {
        Anomaly(id: "id\(n)", person: "\(n % 97)", name: "n", unit: UnitPath("局"), date: CivilDate(dayNumber: n),
                shift: "day", duty: false, kind: .late, minutes: n, severity: .minor, excused: false, reason: nil,
                evidence: [Evidence(file: "a.dat", line: n, time: LocalDateTime(seconds: Int64(n)), reader: "1")])
    }

    @Test func runsJoinInTheOrderAppended() {
        let all = (0..<(2 * AnomalyRuns.runLength + 5)).map(Self.anomaly)
        var runs = AnomalyRuns()
        var i = 0, instance = 0
        // 0 to 3 anomalies an instance, as the judge gives them, across the runs' boundaries.
        while i < all.count {
            let n = min(instance % 4, all.count - i)
            runs.append(Array(all[i..<(i + n)]))
            i += n
            instance += 1
        }
        #expect(runs.count == all.count)
        let joined = runs.joined()
        #expect(joined == all)
        #expect(runs.count == 0)
        let again = runs.joined()
        #expect(again.isEmpty)
    }
}
