import Foundation
import Shared
import Testing
@testable import DutyCollector

/// Store throughput, measured only when `DUTYWATCH_BENCH` is set (it prints summaries per second).
@Suite("Store throughput", .enabled(if: ProcessInfo.processInfo.environment["DUTYWATCH_BENCH"] != nil,
                                   "set DUTYWATCH_BENCH=1 to measure store throughput"))
struct StoreThroughputTests {
    @Test("summaries stored per second from concurrent writers", arguments: StorageBackend.available)
    func storeRate(_ backend: StorageBackend) async throws {
        let count = Int(ProcessInfo.processInfo.environment["DUTYWATCH_BENCH_SUMMARIES"] ?? "") ?? 10_000
        let writers = Int(ProcessInfo.processInfo.environment["DUTYWATCH_BENCH_WRITERS"] ?? "") ?? 64
        // 100 agents x N/100 days; each summary: 10 units (3 levels deep), 8 anomalies.
        let summaries = (0..<count).map { i in
            let agent = i % 100, date = CivilDate(dayNumber: 20_000 + i / 100)
            var units: [String: (scheduled: Int, present: Int)] = [:]
            for u in 0..<10 { units["局\(agent % 5)/处\(agent)/科\(u)"] = (20, 19) }
            let anomalies = (0..<8).map { k in
                StorageSamples.anomaly("p\(agent)-\(k)", k % 2 == 0 ? .late : .earlyLeave, unit: "局\(agent % 5)/处\(agent)/科\(k)",
                                       date: date, minutes: k + 1)
            }
            return StorageSamples.summary(agent: "agent\(agent)", date: date, revision: 1, units: units, anomalies: anomalies)
        }
        try await backend.withStore { store in
            let clock = ContinuousClock()
            let cpuStart = Self.cpuSeconds()
            let start = clock.now
            try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                var next = 0, running = 0
                while next < count || running > 0 {
                    while next < count && running < writers {
                        let s = summaries[next]
                        next += 1
                        running += 1
                        group.addTask { try await store.store(s, receivedAt: Date()) }
                    }
                    if let outcome = try await group.next() {
                        running -= 1
                        #expect(outcome == .stored)
                    }
                }
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = Self.cpuSeconds() - cpuStart
            print("store throughput [\(backend), \(writers) writers]: \(count) summaries in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds))/s; this process used \(String(format: "%.0f", cpu * 1e6 / Double(count))) µs CPU per summary")
            let queryStart = clock.now
            let root = try await store.unitFigures(from: CivilDate(dayNumber: 20_000), to: CivilDate(dayNumber: 30_000), under: UnitPath("局0"))
            let all = try await store.unitFigures(from: CivilDate(dayNumber: 20_000), to: CivilDate(dayNumber: 30_000), under: nil)
            print("roll-up of \(count * 10) unit-days [\(backend)]: \(clock.now - queryStart) for two queries")
            #expect(root.first?.scheduled == count / 5 * 10 * 20)
            #expect(all.count == 5 + 100 + 1000)
        }
    }

    /// User plus system CPU time of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
