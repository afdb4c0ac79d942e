import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Shared
import Testing
@testable import DutyCollector

/// One set of figures (issue 7): the example office (`config/example`) pushed by the real
/// `duty-agent` to a real `duty-collector`; the agent's digest, the collector's digest, its API and
/// the bulletin must agree on every count of October 2026, and an anomaly excused by leave is
/// never 待审核 anywhere.
@Suite struct FourWayFigureTests {
    /// The checkout, found from this file.
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `duty-agent`, built beside `duty-collector`.
    static var agent: URL {
        get throws {
            let url = try ServeEndToEndTests.executable.deletingLastPathComponent().appendingPathComponent("duty-agent")
            try #require(FileManager.default.isExecutableFile(atPath: url.path), "build duty-agent first: \(url.path)")
            return url
        }
    }

    /// Runs `duty-agent` in `directory`; its status, standard output and standard error.
    static func runAgent(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try agent
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// The parts of `check --format json` compared here.
    struct AgentDigest: Decodable {
        struct Kind: Decodable { var count: Int; var minutes: Int; var excused: Int }
        struct Totals: Decodable { var charged: Int; var excused: Int; var suspected: Int?; var kinds: [String: Kind] }
        var anomalies: [Anomaly]
        var totals: Totals
    }

    /// `GET /api/v1/units`.
    struct UnitsAnswer: Decodable {
        struct Unit: Decodable { var unit: String; var kinds: [String: KindFigures] }
        var units: [Unit]
    }

    /// `GET /api/v1/anomalies`.
    struct AnomaliesAnswer: Decodable {
        struct Entry: Decodable {
            struct Review: Decodable { var state: ReviewState }
            var id: String
            var kind: AnomalyKind
            var excused: Bool
            var review: Review
        }
        var count: Int
        var anomalies: [Entry]
    }

    @Test func agentDigestCollectorDigestAPIAndBulletinAgree() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-four-way-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let office = dir.appendingPathComponent("example")
        try FileManager.default.copyItem(at: Self.checkout.appendingPathComponent("config/example"), to: office)
        try? FileManager.default.removeItem(at: office.appendingPathComponent("spool"))

        let added = try ServeEndToEndTests.run(["agents", "add", "--id", "example-office", "--units", "市场监管局"], in: dir)
        try #require(added.status == 0)
        try added.output.write(to: office.appendingPathComponent("agent.token"), atomically: true, encoding: .utf8)
        let admin = "four-way-admin-token-0123456789abcdef"
        let (serve, base, _) = try await ServeEndToEndTests.startServe(in: dir, adminToken: admin)
        defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
        let config = office.appendingPathComponent("agent.toml")
        let toml = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "url = \"http://127.0.0.1:8080\"", with: "url = \"\(base)\"")
        try toml.write(to: config, atomically: true, encoding: .utf8)

        // 1. The agent's digest.
        let check = try Self.runAgent(["check", "--config", "example/agent.toml", "--from", "2026-10-01", "--to", "2026-10-31",
                                       "--format", "json"], in: dir)
        try #require(check.status == 0, "\(check.error)")
        let agent = try JSONDecoder().decode(AgentDigest.self, from: Data(check.output.utf8))
        try #require(agent.totals.charged > 0 && agent.totals.excused > 0, "the example office has charged and excused anomalies")

        // The real agent pushes every decided date.
        let push = try Self.runAgent(["push", "--config", "example/agent.toml"], in: dir)
        #expect(push.status == 0, "\(push.error)")

        // 2. The collector's digest, from the command line.
        let digestRun = try ServeEndToEndTests.run(["digest", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"],
                                                   in: dir)
        try #require(digestRun.status == 0)
        let digest = try ReportJSON.decoder.decode(Digest.self, from: Data(digestRun.output.utf8))

        // 3. The API.
        let (unitsStatus, unitsBody) = try await ServeEndToEndTests.request(
            "GET", "\(base)/api/v1/units?from=2026-10-01&to=2026-10-31", token: admin)
        try #require(unitsStatus == 200)
        let units = try JSONDecoder().decode(UnitsAnswer.self, from: unitsBody)
        let top = try #require(units.units.first { $0.unit == "市场监管局" })
        let (listStatus, listBody) = try await ServeEndToEndTests.request(
            "GET", "\(base)/api/v1/anomalies?from=2026-10-01&to=2026-10-31", token: admin)
        try #require(listStatus == 200)
        let list = try JSONDecoder().decode(AnomaliesAnswer.self, from: listBody)

        // 4. The bulletin.
        let bulletinRun = try ServeEndToEndTests.run(["bulletin", "--month", "2026-10", "--format", "json"], in: dir)
        try #require(bulletinRun.status == 0)
        let bulletin = try ReportJSON.decoder.decode(Bulletin.self, from: Data(bulletinRun.output.utf8))

        for kind in AnomalyKind.allCases {
            let charged = agent.totals.kinds[kind.rawValue]?.count ?? 0
            #expect(digest.byKind.first { $0.kind == kind }?.count ?? 0 == charged, "collector digest, \(kind)")
            #expect(top.kinds[kind.rawValue]?.count ?? 0 == charged, "API units, \(kind)")
            #expect(bulletin.totals.line(kind).count == charged, "bulletin, \(kind)")
            #expect(top.kinds[kind.rawValue]?.minutes ?? 0 == agent.totals.kinds[kind.rawValue]?.minutes ?? 0, "minutes, \(kind)")
        }
        #expect(digest.total == agent.anomalies.count && list.count == agent.anomalies.count)
        #expect(digest.charged == agent.totals.charged && bulletin.totals.charged == agent.totals.charged)
        // Suspected off-post (存疑待核): open for review in the digest, in no count and not in the bulletin.
        let suspected = agent.totals.suspected ?? 0
        #expect(suspected > 0, "the example office has suspected nights")
        #expect(digest.suspectedCount == suspected)
        #expect(digest.open == agent.totals.charged + suspected && digest.leaveExcused == agent.totals.excused)
        #expect(digest.excused == agent.totals.excused && digest.confirmed == 0)
        #expect(bulletin.review.open == agent.totals.charged && bulletin.review.leaveExcused == agent.totals.excused)
        // An anomaly excused by leave is never 待审核.
        #expect(list.anomalies.filter(\.excused).allSatisfy { $0.review.state == .excused })
        #expect(list.anomalies.filter { !$0.excused }.allSatisfy { $0.review.state == .open })
        #expect(digest.units.flatMap(\.people).flatMap(\.entries).filter(\.leaveExcused).allSatisfy { $0.review == .excused })
        // The bulletin names no review that did not happen.
        let markdown = try ServeEndToEndTests.run(["bulletin", "--month", "2026-10", "--format", "markdown"], in: dir)
        #expect(!markdown.output.contains("人事部门审核，本月") && !markdown.output.contains("经考勤系统比对、人事部门审核"))
        #expect(markdown.output.contains("上述异常均未经人事部门审核"))
    }
}
