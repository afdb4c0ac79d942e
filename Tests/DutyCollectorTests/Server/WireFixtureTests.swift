import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// The v1 wire format, pinned by `Fixtures/wire/summary-v1.json`: a body as a v1 agent writes it.
/// It must keep decoding, verifying its digest and being accepted after any later change.
/// Re-record (only for a deliberate new fixture, never to make a failing test pass) with
/// `DUTYWATCH_RECORD_WIRE=1 swift test --filter WireFixtureTests`.
@Suite struct WireFixtureTests {
    static var fixtureURL: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "summary-v1", withExtension: "json", subdirectory: "Fixtures/wire"))
        }
    }

    /// The summary the fixture was generated from: every kind, an excused anomaly, an off-post
    /// interval, evidence with directions, and every kind of quality item.
    static func v1Summary() -> DaySummary {
        let date = CivilDate(year: 2026, month: 11, day: 2)!
        func at(_ h: Int, _ m: Int) -> LocalDateTime { LocalDateTime(date: date, secondsOfDay: h * 3600 + m * 60) }
        func anomaly(_ person: String, _ name: String, _ unit: String, _ kind: AnomalyKind, minutes: Int, severity: Severity = .minor,
                     excused: Bool = false, reason: String? = nil, shift: String = "day", duty: Bool = false,
                     away: (LocalDateTime, LocalDateTime)? = nil, evidence: [Evidence] = []) -> Anomaly {
            Anomaly(id: StableID.anomaly(site: "office-a", person: person, date: date, shift: shift, kind: kind, start: at(8, 30)),
                    person: person, name: name, unit: UnitPath(unit), date: date, shift: shift, duty: duty, kind: kind,
                    minutes: minutes, severity: severity, excused: excused, reason: reason, expectedStart: at(8, 30),
                    expectedEnd: at(17, 30), awayFrom: away?.0, awayTo: away?.1, evidence: evidence)
        }
        let squad1 = "市场监管局/执法大队/一中队"
        let squad2 = "市场监管局/执法大队/二中队"
        let anomalies = [
            anomaly("1001", "张伟", squad1, .late, minutes: 17,
                    evidence: [Evidence(file: "punches/2026-11.csv", line: 214, time: at(8, 47), reader: "大门-1", direction: .entrance)]),
            anomaly("1002", "王芳", squad1, .earlyLeave, minutes: 40,
                    evidence: [Evidence(file: "punches/2026-11.csv", line: 388, time: at(16, 50), reader: "大门-1", direction: .exit)]),
            anomaly("1003", "李娜", squad1, .absent, minutes: 480, severity: .serious),
            anomaly("1004", "刘洋", squad2, .missingIn, minutes: 0,
                    evidence: [Evidence(file: "punches/2026-11.csv", line: 402, time: at(17, 35), reader: "侧门", direction: .unknown)]),
            anomaly("1005", "陈静", squad2, .missingOut, minutes: 0, excused: true, reason: "事假(下午)"),
            anomaly("1006", "杨磊", squad2, .offPost, minutes: 95, severity: .serious, shift: "duty-night", duty: true,
                    away: (at(22, 10), at(23, 45)),
                    evidence: [Evidence(file: "punches/2026-11.csv", line: 511, time: at(22, 10), reader: "值班室", direction: .exit),
                               Evidence(file: "punches/2026-11.csv", line: 530, time: at(23, 45), reader: "值班室", direction: .entrance)]),
        ]
        let units = [
            UnitDayFigures(unit: UnitPath(squad1), scheduled: 12, present: 11, excused: 0, unverified: 0,
                           kinds: [.late: KindFigures(count: 1, minutes: 17), .earlyLeave: KindFigures(count: 1, minutes: 40),
                                   .absent: KindFigures(count: 1, minutes: 480)]),
            UnitDayFigures(unit: UnitPath(squad2), scheduled: 8, present: 7, excused: 1, unverified: 1,
                           kinds: [.missingIn: KindFigures(count: 1, minutes: 0), .offPost: KindFigures(count: 1, minutes: 95)]),
        ]
        let quality = [
            QualityItem(kind: .badLine, file: "punches/2026-11.csv", line: 77, message: "第77行: 时间 \"25:61\" 无法识别，已跳过"),
            QualityItem(kind: .unknownBadge, file: "punches/2026-11.csv", date: date, badge: "B-9931", count: 3,
                        message: "卡号 B-9931 不在人员名册中（3 条打卡）"),
            QualityItem(kind: .readerSilent, date: date, reader: "后门", count: 2, message: "读卡器 后门 07:00–12:00 无记录，2 个班次未判定"),
            QualityItem(kind: .clockSkew, file: "punches/2026-11.csv", line: 90, reader: "侧门", message: "读卡器 侧门 时钟快 6 分钟"),
        ]
        return DaySummary(agent: "office-a", site: "执法大队机关", date: date, revision: 3,
                          generatedAt: Date(timeIntervalSince1970: 1_794_880_800), units: units, anomalies: anomalies, quality: quality)
    }

    @Test func recordTheFixtureWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["DUTYWATCH_RECORD_WIRE"] == "1" else { return }
        let encoder = DaySummary.canonicalEncoder
        encoder.outputFormatting.insert(.prettyPrinted)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire/summary-v1.json")
        try (try encoder.encode(Self.v1Summary()) + Data("\n".utf8)).write(to: url)
    }

    @Test func theV1FixtureDecodesAndItsDigestStillVerifies() throws {
        let data = try Data(contentsOf: try Self.fixtureURL)
        let summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(summary.schema == 1)
        #expect(summary.agent == "office-a")
        #expect(summary.date == CivilDate(year: 2026, month: 11, day: 2))
        #expect(summary.revision == 3)
        #expect(summary.generatedAt == Date(timeIntervalSince1970: 1_794_880_800))
        #expect(summary.units.count == 2)
        #expect(Set(summary.anomalies.map(\.kind)) == Set(AnomalyKind.allCases))
        #expect(summary.anomalies.first { $0.kind == .offPost }?.awayFrom != nil)
        #expect(summary.anomalies.first { $0.excused }?.reason == "事假(下午)")
        #expect(Set(summary.quality.map(\.kind)) == Set(QualityKind.allCases))
        // The digest an old agent computed must still match what this code computes.
        #expect(summary.contentDigest() == summary.digest)
        #expect(summary == Self.v1Summary())
    }

    @Test func theV1FixtureIsAcceptedOverHTTP() async throws {
        let data = try Data(contentsOf: try Self.fixtureURL)
        try await TestCollector.run { collector, client in
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(r.status == .created)
            let stored = try await collector.store.summary(agent: "office-a", date: CivilDate(year: 2026, month: 11, day: 2)!)
            #expect(stored?.digest == Self.v1Summary().digest)
            let again = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(again.status == .ok)
        }
    }

    /// The collector's answers to a summary, as the agent reads them: 201 stored, 200 unchanged, 409
    /// stale with the stored revision. The bodies are pinned by `Fixtures/wire/answer-*.json` (the
    /// agent's tests decode the same files); re-record only deliberately, with
    /// `DUTYWATCH_RECORD_WIRE=1`.
    @Test func theAnswersToASummaryArePinned() async throws {
        let fixture = try Data(contentsOf: try Self.fixtureURL)
        var older = Self.v1Summary()
        older.revision = 2
        let olderBody = try DaySummary.canonicalEncoder.encode(older)
        try await TestCollector.run { _, client in
            let stored = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                               body: ByteBuffer(bytes: fixture))
            let unchanged = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                                  body: ByteBuffer(bytes: fixture))
            let stale = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                              body: ByteBuffer(bytes: olderBody))
            #expect(stored.status == .created && unchanged.status == .ok && stale.status == .conflict)
            for (name, response) in [("answer-201", stored), ("answer-200", unchanged), ("answer-409", stale)] {
                let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Fixtures/wire/\(name).json")
                let body = Data(buffer: response.body)
                if ProcessInfo.processInfo.environment["DUTYWATCH_RECORD_WIRE"] == "1" {
                    try (body + Data("\n".utf8)).write(to: url)
                }
                let pinned = try Data(contentsOf: url)
                #expect(String(decoding: body, as: UTF8.self) + "\n" == String(decoding: pinned, as: UTF8.self), "\(name)")
            }
            let receipt = try DaySummary.decoder.decode(SummaryReceipt.self, from: Data(buffer: stored.body))
            #expect(receipt == SummaryReceipt(.stored, for: Self.v1Summary()))
            let refusal = try DaySummary.decoder.decode(APIRefusal.self, from: Data(buffer: stale.body))
            #expect(refusal.error == "stale_revision" && refusal.storedRevision == 3 && refusal.storedDigest == Self.v1Summary().digest)
        }
    }
}
