import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// The wire formats, pinned by `Fixtures/wire/summary-v1.json` (a body as a v1 agent writes it) and
/// `summary-v2.json` (version 2: a suspected off-post anomaly). Both must keep decoding, verifying
/// their digest and being accepted after any later change.
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

    /// The v1 summary plus a suspected off-post (out of the duty room at 22:10, next seen leaving
    /// it at 07:58), which makes it version 2. Its figures are the v1 ones: a suspicion counts nowhere.
    static func v2Summary() -> DaySummary {
        let v1 = v1Summary()
        let date = v1.date
        func at(_ d: CivilDate, _ h: Int, _ m: Int) -> LocalDateTime { LocalDateTime(date: d, secondsOfDay: h * 3600 + m * 60) }
        let next = date.adding(days: 1)
        var suspected = Anomaly(
            id: StableID.anomaly(site: "office-a", person: "1007", date: date, shift: "duty-night", kind: .offPost,
                                 start: at(date, 20, 0), suspected: true),
            person: "1007", name: "赵敏", unit: UnitPath("市场监管局/执法大队/二中队"), date: date, shift: "duty-night",
            duty: true, kind: .offPost, minutes: 588, severity: .critical, excused: false, reason: nil,
            expectedStart: at(date, 20, 0), expectedEnd: at(next, 8, 0), awayFrom: at(date, 22, 10), awayTo: at(next, 7, 58),
            evidence: [Evidence(file: "punches/2026-11.csv", line: 512, time: at(date, 22, 10), reader: "值班室", direction: .exit),
                       Evidence(file: "punches/2026-11.csv", line: 640, time: at(next, 7, 58), reader: "值班室", direction: .exit)])
        suspected.suspected = true
        return DaySummary(agent: v1.agent, site: v1.site, date: date, revision: 4, generatedAt: v1.generatedAt,
                          units: v1.units, anomalies: v1.anomalies + [suspected], quality: v1.quality)
    }

    static var v2FixtureURL: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "summary-v2", withExtension: "json", subdirectory: "Fixtures/wire"))
        }
    }

    @Test func recordTheFixtureWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["DUTYWATCH_RECORD_WIRE"] == "1" else { return }
        let encoder = DaySummary.canonicalEncoder
        encoder.outputFormatting.insert(.prettyPrinted)
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire")
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary-v1.json").path) {
            try (try encoder.encode(Self.v1Summary()) + Data("\n".utf8)).write(to: folder.appendingPathComponent("summary-v1.json"))
        }
        try (try encoder.encode(Self.v2Summary()) + Data("\n".utf8)).write(to: folder.appendingPathComponent("summary-v2.json"))
    }

    @Test func theV2FixtureDecodesWithItsSuspectedAnomaly() throws {
        let data = try Data(contentsOf: try Self.v2FixtureURL)
        let summary = try DaySummary.decoder.decode(DaySummary.self, from: data)
        #expect(summary.schema == 2)
        #expect(summary.anomalies.filter(\.suspected).map(\.person) == ["1007"])
        #expect(summary.anomalies.filter { !$0.suspected }.count == 6)
        #expect(summary.contentDigest() == summary.digest)
        #expect(summary == Self.v2Summary())
        // The other anomalies' JSON carries no `suspected` key: v1 bodies are unchanged.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.components(separatedBy: "\"suspected\"").count == 2)
    }

    @Test func theV2FixtureIsAcceptedAndItsSuspicionCountsNowhere() async throws {
        let data = try Data(contentsOf: try Self.v2FixtureURL)
        try await TestCollector.run { collector, client in
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken, body: ByteBuffer(bytes: data))
            #expect(r.status == .created)
            let date = CivilDate(year: 2026, month: 11, day: 2)!
            let figures = try await collector.store.unitFigures(from: date, to: date, under: UnitPath("市场监管局/执法大队/二中队"))
            #expect(figures.first?.kinds[.offPost]?.count == 1)  // the v1 off-post only
            let listed = try await collector.store.anomalies(AnomalyFilter(from: date, to: date))
            #expect(listed.first?.anomaly.suspected == true)  // suspected first
            #expect(listed.count == 7)
            // Once HR confirms it, it counts as the off-post it is.
            let id = try #require(listed.first?.anomaly.id)
            #expect(try await collector.store.review(ReviewDecision(anomalyID: id, state: .confirmed, note: "监控核实",
                                                                    by: "hr", at: Date(timeIntervalSince1970: 1_794_900_000))))
            let after = try await collector.store.unitFigures(from: date, to: date, under: UnitPath("市场监管局/执法大队/二中队"))
            #expect(after.first?.kinds[.offPost] == KindFigures(count: 2, minutes: 95 + 588))
        }
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

    /// The receipt written into bytes is what `JSONBody`'s encoder writes, or is left to it.
    @Test func theReceiptsBytesAreTheEncoders() throws {
        let date = try #require(CivilDate("2026-11-02"))
        for agent in ["office-a", "市场监管局/分局 \"甲\" \\ é e\u{301} 😀"] {
            for status in [SummaryReceipt.Status.stored, .unchanged] {
                let receipt = SummaryReceipt(status: status, agent: agent, date: date, revision: 1_234_567, digest: "ab\"c")
                let written = try #require(SummaryRoutes.receiptJSON(receipt))
                #expect(String(decoding: written, as: UTF8.self)
                    == String(decoding: try JSONBody.encoder.encode(receipt), as: UTF8.self))
            }
        }
        let tab = SummaryReceipt(status: .stored, agent: "tab\there", date: date, revision: 1, digest: "d")
        #expect(SummaryRoutes.receiptJSON(tab) == nil)
    }
}
