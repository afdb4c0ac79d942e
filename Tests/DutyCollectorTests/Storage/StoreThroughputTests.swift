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

    @Test("a month for 100,000 people in 200 units: the bulletin's queries", arguments: StorageBackend.available)
    func monthQueries(_ backend: StorageBackend) async throws {
        // 20 agents with 10 sections each (5,000 people per agent); 30 days; about 2% of
        // person-days with an anomaly, one in ten of them serious.
        let kinds: [AnomalyKind] = [.late, .late, .late, .late, .earlyLeave, .earlyLeave, .missingIn, .missingOut, .absent, .offPost]
        func unit(_ section: Int) -> String { "市局/处\(section / 20)/科\(section)" }
        var summaries: [DaySummary] = []
        for agent in 0..<20 {
            for d in 1...30 {
                let date = StorageSamples.day(d)
                var units: [String: (scheduled: Int, present: Int)] = [:]
                for section in (agent * 10)..<(agent * 10 + 10) { units[unit(section)] = (500, 490) }
                let anomalies = (0..<100).map { k -> Anomaly in
                    let person = agent * 5000 + (k * 50 + d * 7) % 5000
                    let kind = kinds[(k + d) % kinds.count]
                    return StorageSamples.anomaly("p\(person)", kind, unit: unit(person / 500), date: date, minutes: k % 40 + 1,
                                                  severity: kind == .absent || kind == .offPost ? .serious : .minor)
                }
                summaries.append(StorageSamples.summary(agent: "agent\(agent)", date: date, revision: 1, units: units, anomalies: anomalies))
            }
        }
        try await backend.withStore { store in
            let clock = ContinuousClock()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for s in summaries { group.addTask { _ = try await store.store(s, receivedAt: Date()) } }
                try await group.waitForAll()
            }
            let (from, to) = (StorageSamples.day(1), StorageSamples.day(30))
            var timings: [String] = []
            func timed<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
                let start = clock.now
                let value = try await body()
                timings.append("\(label) \(clock.now - start)")
                return value
            }
            let figures = try await timed("unitFigures") { try await store.unitFigures(from: from, to: to, under: nil) }
            let people = try await timed("personCounts") { try await store.personCounts(from: from, to: to, under: nil) }
            let serious = try await timed("serious anomalies") {
                try await store.anomalies(AnomalyFilter(from: from, to: to, minSeverity: .serious))
            }
            let health = try await timed("agentHealth") { try await store.agentHealth(from: from, to: to) }
            print("month queries [\(backend)]: \(timings.joined(separator: ", "))")
            let anomalyCount = 20 * 30 * 100, scheduled = 20 * 30 * 10 * 500, seriousCount = 20 * 30 * 20
            let rootCount: Int = figures.first?.kinds.values.map(\.count).reduce(0, +) ?? 0
            let peopleCount: Int = people.map(\.count).reduce(0, +)
            #expect(figures.count == 211)
            #expect(figures.first?.scheduled == scheduled)
            #expect(rootCount == anomalyCount)
            #expect(peopleCount == anomalyCount)
            #expect(serious.count == seriousCount)
            #expect(health.count == 0)
        }
    }

    /// User plus system CPU time of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
