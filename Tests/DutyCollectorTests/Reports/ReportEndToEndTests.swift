import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Shared
import Testing
@testable import DutyCollector

/// The reports as a user gets them: the real `duty-collector` issues tokens, serves on SQLite,
/// receives the fixture bureau's summaries over HTTP and an HR decision; after it stops,
/// `duty-collector bulletin` and `digest` read the same file.
@Suite struct ReportEndToEndTests {
    @Test func summariesOverHTTPThenBulletinAndDigestFromTheCommandLine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-report-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var tokens: [String: String] = [:]
        for (id, prefixes, _) in ReportFixture.agents {
            let added = try ServeEndToEndTests.run(["agents", "add", "--id", id, "--units"] + prefixes, in: dir)
            try #require(added.status == 0)
            tokens[id] = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        let admin = "report-e2e-admin-token-0123456789"
        let (serve, base, _) = try await ServeEndToEndTests.startServe(in: dir, adminToken: admin)
        defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }

        var sent = 0
        for month in [ReportMonth("2026-10")!, ReportMonth("2026-11")!] {
            for n in month.first.dayNumber...month.last.dayNumber {
                let date = CivilDate(dayNumber: n)
                for (id, prefixes, created) in ReportFixture.agents {
                    guard date >= BulletinBuilder.localDate(of: created, in: TimeZone(identifier: "Asia/Shanghai")!),
                          !(id == "cd-branch" && ReportFixture.branchMissing.contains(date.description)) else { continue }
                    let body = try DaySummary.canonicalEncoder.encode(ReportFixture.summary(agent: id, prefixes: prefixes, date: date))
                    let (status, answer) = try await ServeEndToEndTests.request("POST", "\(base)/api/v1/summaries", token: tokens[id], body: body)
                    try #require(status == 201, "\(id) \(date): \(status) \(String(decoding: answer, as: UTF8.self))")
                    sent += 1
                }
            }
        }
        #expect(sent == 61 * 2 + 30 - 4)
        let decision = try JSONSerialization.data(withJSONObject: ["state": "excused", "note": "交通管制，已核实", "by": "人事科王敏"])
        let excused = ReportFixture.id(of: "3002", "2026-11-03", .late)
        #expect(try await ServeEndToEndTests.request("POST", "\(base)/api/v1/anomalies/\(excused)/review", token: admin,
                                                     body: decision).0 == 200)

        kill(serve.processIdentifier, SIGTERM)
        for _ in 0..<150 where serve.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        try #require(!serve.isRunning, "serve did not stop on SIGTERM")

        let json = try ServeEndToEndTests.run(["bulletin", "--month", "2026-11", "--format", "json"], in: dir)
        try #require(json.status == 0)
        let b = try ReportJSON.decoder.decode(Bulletin.self, from: Data(json.output.utf8))
        #expect(b.totals.scheduled == 423 && b.totals.charged == 13 && b.totals.previousScore == 2.51, "\(b.totals.scheduled) \(b.totals.unverified) \(b.totals.charged) \(b.totals.score) \(b.totals.previousScore ?? -1)")
        // Per 100 verified person-days: the branch's silent day is no data, not a clean day.
        #expect(b.totals.score == 3.1 && b.totals.unverified > 0, "\(b.totals.score)")
        #expect(b.ranking.map { $0.unit.components.last! } == ["办公室", "登记注册科", "综合执法大队", "城东分局"])
        #expect(Set(b.repeatCases.map(\.person)) == ["2001", "3001", "1001", "3101"])
        #expect(b.seriousCases.count == 4 && b.seriousCases.first { $0.id == excused }?.review == .excused)
        #expect(b.completeness.first { $0.agent == "cd-branch" }?.missing.map(\.description)
            .starts(with: ["2026-11-14", "2026-11-15", "2026-11-16"]) == true)

        let html = try ServeEndToEndTests.run(["bulletin", "--month", "2026-11", "--output", "b.html"], in: dir)
        #expect(html.status == 0)
        let page = try String(contentsOf: dir.appendingPathComponent("b.html"), encoding: .utf8)
        #expect(page.contains("关于2026年11月考勤及值班情况的通报") && page.contains("<svg") && page.contains("赵磊"))

        let digest = try ServeEndToEndTests.run(["digest", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"], in: dir)
        #expect(digest.status == 0)
        #expect(digest.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 16)
        let table = try ServeEndToEndTests.run(["digest", "--unit", "市场监管局/综合执法大队/一中队", "--from", "2026-11-01",
                                                "--to", "2026-11-30"], in: dir)
        #expect(table.output.contains("赵磊") && table.output.contains("已豁免") && !table.output.contains("张伟"))
    }
}
