import Foundation
import Testing
@testable import DutyAgent
import Shared

/// A collector older than day summary version 3 (a real duty-collector told to read only versions
/// 1 and 2 by its test hook `DUTY_COLLECTOR_MAX_SCHEMA`) and today's agent, the real executables:
/// the agent sends every summary without its day punches, asks version 3 once, says once that the
/// collector should be upgraded, and the figures are check's. Upgraded, the collector gets them.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: E2E.enabled, E2E.disabledReason))
struct OlderCollectorTests {
    /// Stored summaries that carry day punches (kept in the summary's body), read with the sqlite3
    /// tool; nil without it.
    static func dayPunchRows(_ pair: DeliveryPair) async throws -> Int? {
        let tool = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return nil }
        let database = pair.collector.folder.appendingPathComponent("collector.sqlite").path
        let r = try await ChildProcess.execute(tool, [database, #"SELECT COUNT(*) FROM summaries WHERE body LIKE '%"day_punches":%'"#], folder: pair.work,
                                               label: "sqlite3")
        guard r.status == 0 else { throw E2EFailure("sqlite3: \(r.stderr)") }
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func anOlderCollectorGetsEverySummaryWithoutDayPunchesAndVersion3IsOfferedOnce() async throws {
        let pair = try DeliveryPair(label: "older", proxied: true)
        defer { pair.tearDown() }
        let proxy = try #require(pair.proxy)
        pair.collector.extraEnvironment = ["DUTY_COLLECTOR_MAX_SCHEMA": "2"]
        try await pair.collector.start()

        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 0, "push: \(push.stderr.suffix(2000))")
        #expect(push.stdout.contains("left 0"), "\(push.stdout)")
        #expect(push.stderr.components(separatedBy: "upgrade the collector").count == 2, "said once: \(push.stderr.suffix(3000))")
        let refused = proxy.answers.filter { $0.status == 400 }
        #expect(refused.count == 1, "version 3 is offered once, then remembered: \(proxy.answers)")
        #expect(proxy.answers.allSatisfy { $0.status == 400 || (200..<300).contains($0.status) }, "\(proxy.answers)")
        let rejected = pair.office.spool.appendingPathComponent("rejected")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: rejected.path)) ?? []).isEmpty, "nothing set aside")
        try await pair.expectConverged(seconds: 10)
        if let rows = try await Self.dayPunchRows(pair) { #expect(rows == 0, "the older collector stored no day punches") }
        let status = try await pair.agentCommand(["status"])
        #expect(status.stdout.contains("waiting:  0 summaries"), "\(status.stdout)")

        // Upgraded: the collector now reads version 3, and a new agent process offers it again.
        pair.collector.kill9()
        pair.collector.extraEnvironment = [:]
        try await pair.collector.start()
        // A midday punch of a person accused on some date: that date's day punches change (its
        // anomalies stay), a new revision.
        struct Item: Decodable { var person: String; var date: String }
        struct Listing: Decodable { var anomalies: [Item] }
        let listed = try await pair.collector.get("/api/v1/anomalies?from=\(pair.office.from)&to=\(pair.office.to)&limit=1")
        let accused = try #require(try JSONDecoder().decode(Listing.self, from: listed.body).anomalies.first,
                                   "the office has anomalies: \(String(decoding: listed.body, as: UTF8.self))")
        let noon = LocalDateTime(date: try #require(CivilDate(accused.date)), secondsOfDay: 12 * 3600 + 30 * 60)
        try Data("id,time,device\n\(accused.person),\(noon),1\n".utf8)
            .write(to: pair.office.folder.appendingPathComponent("badges/midday.csv"), options: .atomic)
        let again = try await pair.agentCommand(["push"])
        #expect(again.status == 0, "push: \(again.stderr.suffix(2000))")
        #expect(!again.stderr.contains("upgrade the collector"))
        #expect(proxy.answers.filter { $0.status == 400 }.count == 1, "no refusal from the upgraded collector")
        try await pair.expectConverged(seconds: 10)
        if let rows = try await Self.dayPunchRows(pair) { #expect(rows > 0, "the upgraded collector has the day's punches") }
    }
}
