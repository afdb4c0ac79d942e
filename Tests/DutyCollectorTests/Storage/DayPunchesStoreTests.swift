import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// Day punches (wire format 3) in the store, on both databases: kept in the stored summary's body,
/// replaced whole by a newer revision of the (agent, date), untouched by a repeat, never duplicated.
@Suite struct DayPunchesStoreTests {
    static func punches(_ person: String, _ lines: [Int], date: CivilDate, omitted: Int = 0) -> PersonDayPunches {
        PersonDayPunches(person: person, punches: lines.map { line in
            Evidence(file: "punches/2026-11.csv", line: line, time: LocalDateTime(date: date, secondsOfDay: 8 * 3600 + line * 60),
                     reader: "大门", direction: line % 2 == 0 ? .entrance : .exit)
        }, omitted: omitted)
    }

    static func summary(date: CivilDate, revision: Int, people: [String], days: [PersonDayPunches]) -> DaySummary {
        let plain = S.summary(date: date, revision: revision, units: [S.squad1: (5, 5)],
                              anomalies: people.map { S.anomaly($0, .late, unit: S.squad1, date: date) })
        return DaySummary(agent: plain.agent, site: plain.site, date: date, revision: revision, generatedAt: plain.generatedAt,
                          units: plain.units, anomalies: plain.anomalies, quality: plain.quality, dayPunches: days)
    }

    /// Day-punch entries kept in the store, over every stored summary (their only place).
    static func rows(_ store: any CollectorStore) async throws -> Int {
        let sql = try #require(store as? any SQLBackedStore)
        var count = 0
        for row in try await sql.select("SELECT body FROM summaries", []) {
            count += try DaySummary.decoder.decode(DaySummary.self, from: Data(row.text(0).utf8)).dayPunches.count
        }
        return count
    }

    @Test("a newer revision replaces the day punches whole; a repeat changes nothing", arguments: StorageBackend.available)
    func replacedWholeAndNeverDuplicated(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let d = S.day(9)
            let first = Self.summary(date: d, revision: 1, people: ["p1", "p2"],
                                     days: [Self.punches("p1", [10, 11, 12], date: d), Self.punches("p2", [20], date: d, omitted: 7)])
            #expect(first.schema == 3)
            #expect(try await store.store(first, receivedAt: S.time(1)) == .stored)
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p1") == Self.punches("p1", [10, 11, 12], date: d))
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p2")?.omitted == 7)
            #expect(try await Self.rows(store) == 2)

            // A repeat of the stored revision: unchanged, nothing added.
            #expect(try await store.store(first, receivedAt: S.time(2)) == .unchanged)
            #expect(try await Self.rows(store) == 2)

            // Revision 2: p1 has other punches, p2 none any more (no anomaly), p3 is new.
            let second = Self.summary(date: d, revision: 2, people: ["p1", "p3"],
                                      days: [Self.punches("p1", [14], date: d), Self.punches("p3", [30, 31], date: d)])
            #expect(try await store.store(second, receivedAt: S.time(3)) == .stored)
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p1") == Self.punches("p1", [14], date: d))
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p2") == nil)
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p3")?.punches.count == 2)
            #expect(try await Self.rows(store) == 2)

            // An older revision is stale and leaves them as they are.
            if case .stale = try await store.store(first, receivedAt: S.time(4)) {} else { Issue.record("revision 1 after 2 is stale") }
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p1") == Self.punches("p1", [14], date: d))

            // Revision 3 from an agent (or through a collector) without day punches: none kept.
            let third = Self.summary(date: d, revision: 3, people: ["p1"], days: [])
            #expect(third.schema == 1)
            #expect(try await store.store(third, receivedAt: S.time(5)) == .stored)
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p1") == nil)
            #expect(try await Self.rows(store) == 0)
        }
    }

    @Test("several revisions of one date in one batch keep only the last one's day punches", arguments: StorageBackend.available)
    func oneBatchKeepsTheLastRevision(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let d = S.day(10)
            let r1 = Self.summary(date: d, revision: 1, people: ["p1"], days: [Self.punches("p1", [1, 2], date: d)])
            let r2 = Self.summary(date: d, revision: 2, people: ["p1"], days: [Self.punches("p1", [3], date: d)])
            async let a = store.store(try PreparedSummary(r1, receivedAt: S.time(1)))
            async let b = store.store(try PreparedSummary(r2, receivedAt: S.time(1)))
            _ = try await (a, b)
            #expect(try await store.dayPunches(agent: "a1", date: d, person: "p1") == Self.punches("p1", [3], date: d))
            #expect(try await Self.rows(store) == 1)
        }
    }
}

extension CollectorStore {
    /// `person`'s day punches in the stored summary of (agent, date), as the anomaly page reads them.
    func dayPunches(agent: String, date: CivilDate, person: String) async throws -> PersonDayPunches? {
        try await summary(agent: agent, date: date)?.dayPunches.first { $0.person == person }
    }
}
