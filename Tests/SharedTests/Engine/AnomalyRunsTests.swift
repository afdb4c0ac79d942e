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

    /// Anomalies judged later (`Deferred`) go where they would have been appended.
    @Test func lateAnomaliesGoWhereTheyWereLeftOut() {
        let all = (0..<(AnomalyRuns.runLength + 10)).map(Self.anomaly)
        // Left out: the first, two before the first run's last, one in the second run and the last two
        // (`at` counts the anomalies appended before: runLength + 4 is after them all).
        let late: [(at: Int, anomalies: [Anomaly])] = [
            (0, [all[0]]),
            (AnomalyRuns.runLength - 1, Array(all[AnomalyRuns.runLength...AnomalyRuns.runLength + 1])),
            (AnomalyRuns.runLength + 3, [all[AnomalyRuns.runLength + 6]]),
            (AnomalyRuns.runLength + 4, Array(all[(AnomalyRuns.runLength + 8)...])),
        ]
        var runs = AnomalyRuns()
        var leftOut = Set<Int>([0, AnomalyRuns.runLength, AnomalyRuns.runLength + 1, AnomalyRuns.runLength + 6])
        leftOut.formUnion((AnomalyRuns.runLength + 8)..<all.count)
        for (n, a) in all.enumerated() where !leftOut.contains(n) { runs.append([a]) }
        #expect(runs.joined(inserting: late) == all)
    }
}
