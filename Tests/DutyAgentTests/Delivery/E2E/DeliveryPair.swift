import Foundation
import Testing
@testable import DutyAgent
import Shared

/// One end-to-end setup: a real collector (started or not), optionally a lossy proxy in front of
/// it, and a generated office whose agent pushes to it. Everything lives in one temporary folder.
final class DeliveryPair: @unchecked Sendable {
    let work: URL
    let agent: URL
    let collector: CollectorUnderTest
    let proxy: LossyProxy?
    let office: TestOffice
    let token: String

    /// - Parameters:
    ///   - proxied: put a `LossyProxy` between agent and collector, dropping the answers `drop` picks.
    ///   - office: changes to the office's `[collector]` settings.
    init(label: String, proxied: Bool = false, drop: @escaping @Sendable (Int) -> Bool = { _ in false },
         spoolMaxMB: Int = 256, spoolFolder: String = "spool") throws {
        let (agent, collectorBinary) = try E2E.binaries()
        self.agent = agent
        work = FileManager.default.temporaryDirectory.appendingPathComponent("duty-e2e-\(label)-\(UUID().uuidString.prefix(8))")
        collector = try CollectorUnderTest(binary: collectorBinary, folder: work.appendingPathComponent("collector"))
        token = try collector.addAgent(id: TestOffice.siteID, units: [TestOffice.rootUnit])
        proxy = proxied ? try LossyProxy(upstreamPort: collector.port, dropAnswer: drop) : nil
        office = try TestOffice(folder: work.appendingPathComponent("office"), collectorURL: proxy?.url ?? collector.url,
                                token: token, spoolMaxMB: spoolMaxMB, spoolFolder: spoolFolder)
    }

    /// Stops whatever still runs and removes the folder (kept when `DUTY_E2E_KEEP` is set).
    func tearDown() {
        collector.stop()
        proxy?.close()
        if let trace = proxy?.trace { try? Data(trace.joined(separator: "\n").utf8).write(to: work.appendingPathComponent("proxy.trace")) }
        if ProcessInfo.processInfo.environment["DUTY_E2E_KEEP"] == nil { try? FileManager.default.removeItem(at: work) }
    }

    private var runs = 0

    /// Runs `duty-agent <command> --config …` to the end (at most two minutes).
    func agentCommand(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        runs += 1
        return try await ChildProcess.execute(agent, arguments + ["--config", office.configPath], folder: work,
                                    label: "agent-\(arguments[0])-\(runs)", environment: environment)
    }

    /// Starts `duty-agent run` (retry waits capped at `retryCap` seconds so the test stays short).
    func startDaemon(retryCap: Double = 1) throws -> ChildProcess {
        runs += 1
        return try ChildProcess(agent, ["run", "--config", office.configPath], folder: work, label: "agent-run-\(runs)",
                                environment: ["DUTY_AGENT_RETRY_CAP_SECONDS": "\(retryCap)"])
    }

    /// What `check` says for the office's dates: the figures the collector must end with.
    func expectedFigures() async throws -> (figures: Figures, anomalyIDs: [String]) {
        let r = try await agentCommand(["check", "--from", "\(office.from)", "--to", "\(office.to)", "--format", "json"])
        guard r.status == 0 else { throw E2EFailure("check failed: \(r.stderr)") }
        struct Item: Decodable { var id: String }
        struct Document: Decodable { var anomalies: [Item] }
        let data = Data(r.stdout.utf8)
        return (try Figures.fromCheck(data, unit: TestOffice.rootUnit),
                try JSONDecoder().decode(Document.self, from: data).anomalies.map(\.id).sorted())
    }

    /// The collector's figures of the root unit over the office's dates.
    func collectorFigures() async throws -> Figures {
        try await collector.figures(unit: TestOffice.rootUnit, from: "\(office.from)", to: "\(office.to)")
    }

    /// Summaries waiting in the spool folder.
    var waiting: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: office.spool.path)) ?? []).filter { SpooledSummary(url: URL(fileURLWithPath: $0)) != nil }
    }

    /// Files in `spool/corrupt`.
    var corrupt: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: office.spool.appendingPathComponent("corrupt").path)) ?? []
    }

    /// Waits until the spool is empty and the collector's figures are `check`'s; then checks that
    /// no anomaly is stored twice.
    func expectConverged(seconds: Double = 60, _ location: SourceLocation = #_sourceLocation) async throws {
        let expected = try await expectedFigures()
        var last = Figures()
        do {
            try await E2E.wait(seconds: seconds, for: "the collector to hold check's figures") {
                last = try await collectorFigures()
                return waiting.isEmpty && last == expected.figures
            }
        } catch {
            Issue.record("not converged: collector \(last) vs check \(expected.figures); waiting \(waiting)", sourceLocation: location)
            throw error
        }
        let ids = try await collector.anomalyIDs(from: "\(office.from)", to: "\(office.to)")
        #expect(ids.sorted() == expected.anomalyIDs, "every anomaly of check, once", sourceLocation: location)
        #expect(Set(ids).count == ids.count, "no anomaly stored twice", sourceLocation: location)
    }
}
