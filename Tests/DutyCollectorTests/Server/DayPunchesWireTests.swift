import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// Wire format 3: `day_punches`, every punch of the day of each person with an anomaly. Pinned by
/// `Fixtures/wire/summary-v3.json`; v1 and v2 bodies stay byte for byte what they were.
@Suite struct DayPunchesWireTests {
    /// The v2 summary with the day punches of 1001 (late: the evidence punch and three more),
    /// 1003 (absent: none in the windows) and 1006 (off post on the night duty).
    static func v3Summary() -> DaySummary {
        let v2 = WireFixtureTests.v2Summary()
        let date = v2.date
        func at(_ h: Int, _ m: Int) -> LocalDateTime { LocalDateTime(date: date, secondsOfDay: h * 3600 + m * 60) }
        let file = "punches/2026-11.csv"
        let days = [
            PersonDayPunches(person: "1001", punches: [
                Evidence(file: file, line: 214, time: at(8, 47), reader: "大门-1", direction: .entrance),
                Evidence(file: file, line: 301, time: at(12, 2), reader: "大门-1", direction: .exit),
                Evidence(file: file, line: 330, time: at(12, 58), reader: "大门-1", direction: .entrance),
                Evidence(file: file, line: 455, time: at(17, 41), reader: "大门-1", direction: .exit),
            ]),
            PersonDayPunches(person: "1003", punches: []),
            PersonDayPunches(person: "1006", punches: [
                Evidence(file: file, line: 470, time: at(19, 52), reader: "值班室", direction: .entrance),
                Evidence(file: file, line: 511, time: at(22, 10), reader: "值班室", direction: .exit),
                Evidence(file: file, line: 530, time: at(23, 45), reader: "值班室", direction: .entrance),
            ], omitted: 0),
        ]
        return DaySummary(agent: v2.agent, site: v2.site, date: date, revision: v2.revision, generatedAt: v2.generatedAt,
                          units: v2.units, anomalies: v2.anomalies, quality: v2.quality, dayPunches: days)
    }

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/wire"))
        return try Data(contentsOf: url)
    }

    static func pretty(_ summary: DaySummary) throws -> Data {
        let encoder = DaySummary.canonicalEncoder
        encoder.outputFormatting.insert(.prettyPrinted)
        return try encoder.encode(summary) + Data("\n".utf8)
    }

    @Test func recordTheFixtureWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["DUTYWATCH_RECORD_WIRE"] == "1" else { return }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire/summary-v3.json")
        if !FileManager.default.fileExists(atPath: url.path) { try Self.pretty(Self.v3Summary()).write(to: url) }
    }

    @Test func theV3FixtureDecodesWithItsDayPunchesAndItsDigestVerifies() throws {
        let data = try Self.fixture("summary-v3")
        let summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(summary.schema == 3)
        #expect(summary.dayPunches.map(\.person) == ["1001", "1003", "1006"])
        #expect(summary.dayPunches.first?.punches.map(\.line) == [214, 301, 330, 455])
        #expect(summary.dayPunches.first?.punches[1].direction == .exit)
        #expect(summary.contentDigest() == summary.digest)
        #expect(summary == Self.v3Summary())
        #expect(try Self.pretty(summary) == data, "the encoding is the fixture's, byte for byte")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"day_punches\"") && text.contains("\"omitted\" : 0"))
    }

    @Test func v1AndV2BodiesAreByteForByteWhatTheyWere() throws {
        for (name, expected, schema) in [("summary-v1", WireFixtureTests.v1Summary(), 1), ("summary-v2", WireFixtureTests.v2Summary(), 2)] {
            let data = try Self.fixture(name)
            let decoded = try DaySummary.decoder.decode(DaySummary.self, from: data)
            #expect(decoded.schema == schema && decoded.dayPunches.isEmpty, "\(name)")
            #expect(try Self.pretty(decoded) == data, "\(name) re-encodes to its own bytes")
            #expect(try Self.pretty(expected) == data, "\(name) is what this code writes without day punches")
            #expect(!String(decoding: data, as: UTF8.self).contains("day_punches"))
        }
    }

    @Test func withoutDayPunchesIsTheV2SummaryWithItsOwnDigest() throws {
        let v3 = Self.v3Summary()
        let stripped = v3.withoutDayPunches()
        #expect(stripped.schema == 2 && stripped.dayPunches.isEmpty)
        #expect(stripped == WireFixtureTests.v2Summary())
        #expect(stripped.digest != v3.digest && stripped.digest == stripped.contentDigest())
        // Without a suspicion the fallback is version 1.
        let v1 = WireFixtureTests.v1Summary()
        let plain = DaySummary(agent: v1.agent, site: v1.site, date: v1.date, revision: v1.revision, generatedAt: v1.generatedAt,
                               units: v1.units, anomalies: v1.anomalies, quality: v1.quality, dayPunches: v3.dayPunches)
        #expect(plain.schema == 3)
        #expect(plain.withoutDayPunches() == v1)
    }

    @Test func theV3FixtureIsAcceptedStoredAndARepeatChangesNothing() async throws {
        let data = try Self.fixture("summary-v3")
        try await TestCollector.run { collector, client in
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(r.status == .created, "\(String(buffer: r.body))")
            let date = Self.v3Summary().date
            let stored = try await collector.store.dayPunches(agent: "office-a", date: date, person: "1001")
            #expect(stored == Self.v3Summary().dayPunches.first)
            #expect(try await collector.store.dayPunches(agent: "office-a", date: date, person: "1003")?.punches == [])
            #expect(try await collector.store.dayPunches(agent: "office-a", date: date, person: "1002") == nil)
            #expect(try await collector.store.summary(agent: "office-a", date: date)?.digest == Self.v3Summary().digest)
            let again = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(again.status == .ok)
        }
    }

    @Test func aCollectorLimitedToVersion2RefusesVersion3AsUnsupported() async throws {
        let data = try Self.fixture("summary-v3")
        try await TestCollector.run(configure: { $0.server.supportedSchemas = 1...2 }) { _, client in
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(r.status == .badRequest)
            let refusal = try DaySummary.decoder.decode(APIRefusal.self, from: Data(buffer: r.body))
            #expect(refusal.error == "unsupported_schema")
            let v2 = try DaySummary.canonicalEncoder.encode(Self.v3Summary().withoutDayPunches())
            let ok = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: v2))
            #expect(ok.status == .created)
        }
    }

    /// Day punches are bounded at the edge like every figure: each refusal names the field.
    @Test func dayPunchesOutOfBoundsAreRefusedNamingTheField() async throws {
        let base = Self.v3Summary()
        func with(_ days: [PersonDayPunches]) -> DaySummary {
            DaySummary(agent: base.agent, site: base.site, date: base.date, revision: base.revision, generatedAt: base.generatedAt,
                       units: base.units, anomalies: base.anomalies, quality: base.quality, dayPunches: days)
        }
        let punch = base.dayPunches[0].punches[0]
        var far = punch
        far.time = punch.time.adding(seconds: 3 * 86_400)
        var nextMorning = punch  // a night duty's window with check_out_late of a day: two days on
        nextMorning.time = punch.time.adding(seconds: 2 * 86_400 - 3_600)
        let cases: [(DaySummary, String)] = [
            (with([PersonDayPunches(person: "9999", punches: [punch])]), "day_punches[0].person"),
            (with([PersonDayPunches(person: "1001", punches: [punch]), PersonDayPunches(person: "1001", punches: [])]), "day_punches[1].person"),
            (with([PersonDayPunches(person: "1001", punches: Array(repeating: punch, count: 201))]), "day_punches[0].punches"),
            (with([PersonDayPunches(person: "1001", punches: [punch], omitted: -1)]), "day_punches[0].omitted"),
            (with([PersonDayPunches(person: "1001", punches: [punch, far])]), "day_punches[0].punches[1].time"),
        ]
        let edge = with([PersonDayPunches(person: "1001", punches: [punch, nextMorning])])
        try await TestCollector.run { collector, client in
            for (summary, field) in cases {
                let body = try DaySummary.canonicalEncoder.encode(summary)
                let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: body))
                #expect(r.status == .badRequest, "\(field)")
                let refusal = try DaySummary.decoder.decode(APIRefusal.self, from: Data(buffer: r.body))
                #expect(refusal.field == field, "\(refusal.message)")
            }
            #expect(try await collector.store.summary(agent: "office-a", date: base.date) == nil, "nothing stored")
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                          body: ByteBuffer(bytes: try DaySummary.canonicalEncoder.encode(edge)))
            #expect(r.status == .created, "a punch the day after next, within a window, is taken: \(String(buffer: r.body))")
        }
    }
}
