import Foundation
import Shared
import Testing
@testable import DutyAgent

/// Every scenario (the repository's copy, and `../shared/scenarios` when it is there), and the JSON
/// contract, through the built executable.
@Suite(.serialized) struct AgentScenarioTests {
    @Test func everyScenarioOfTheRepositoryPasses() throws {
        try runScenarios(in: BuiltAgent.scenarios)
    }

    /// `../shared/scenarios` as well, when the shared folder sits beside the checkout (its `next/`
    /// by the next test).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: BuiltAgent.sharedScenarios.appendingPathComponent("run").path),
                   "../shared/scenarios is not beside the checkout"))
    func everySharedScenarioPasses() throws {
        try runScenarios(in: BuiltAgent.sharedScenarios)
    }

    /// `../shared/scenarios/next` (one reader silent, suspected off-post, transfers, Chinese dates).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: BuiltAgent.sharedScenarios.appendingPathComponent("next").path),
                   "../shared/scenarios/next is not beside the checkout"))
    func everyNextSharedScenarioPasses() throws {
        try runScenarios(in: BuiltAgent.sharedScenarios.appendingPathComponent("next"),
                         runner: BuiltAgent.sharedScenarios.appendingPathComponent("run"))
    }

    func runScenarios(in root: URL, runner: URL? = nil) throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expected.json").path) }
        try #require(!folders.isEmpty, "no scenarios in \(root.path)")
        let agent = try BuiltAgent.url()
        let run = try BuiltAgent.run(URL(fileURLWithPath: "/usr/bin/env"),
                                     ["python3", (runner ?? root.appendingPathComponent("run")).path, "--agent", agent.path,
                                      root.path])
        #expect(run.status == 0, "scenario run failed:\n\(run.stdout)\(run.stderr)")
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last == "\(folders.count) passed, 0 failed", "\(run.stdout)")
    }

    /// The JSON digest, as `check --format json` prints it.
    struct JSONDigestOutput: Decodable {
        var anomalies: [Anomaly]
        var quality: [QualityItem]
        var totals: DigestTotals
    }

    @Test func checkPrintsOneJSONObjectWithTheContractKeys() throws {
        let config = BuiltAgent.scenarios.appendingPathComponent("05-off-post/agent.toml").path
        let run = try BuiltAgent.agent(["check", "--config", config, "--from", "2026-11-02", "--to", "2026-11-03",
                                        "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["anomalies", "quality", "totals"])
        let first = try #require((object["anomalies"] as? [[String: Any]])?.first)
        #expect(Set(first.keys).isSuperset(of: ["id", "person", "name", "unit", "date", "shift", "kind", "minutes",
                                                 "severity", "excused", "evidence"]))
        let digest = try JSONDecoder().decode(JSONDigestOutput.self, from: Data(run.stdout.utf8))
        #expect(digest.anomalies.map(\.kind) == [.offPost, .offPost])
        #expect(digest.anomalies.map(\.person).sorted() == ["1004", "2001"])
        #expect(digest.anomalies.allSatisfy { !$0.evidence.isEmpty && $0.evidence.allSatisfy { $0.line > 0 } })
        #expect(digest.totals[.offPost].count == 2 && digest.totals[.offPost].minutes == 90)
        #expect(digest.totals.punches == 10 && digest.totals.files == 3)
    }

    @Test func tableAndMarkdownAndCSVRunThroughTheExecutable() throws {
        let config = BuiltAgent.scenarios.appendingPathComponent("10-bad-lines/agent.toml").path
        for format in ["table", "markdown", "csv"] {
            let run = try BuiltAgent.agent(["check", "--config", config, "--from", "2026-11-02", "--to", "2026-11-02",
                                            "--format", format])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("1004"), "\(format)")
            #expect(run.stderr.isEmpty, "no progress when piped: \(run.stderr)")
        }
        let table = try BuiltAgent.agent(["check", "--config", config, "--from", "2026-11-02", "--to", "2026-11-02"])
        #expect(table.stdout.contains("迟到") && !table.stdout.contains("late"), "no machine code beside a Chinese label")
        #expect(table.stdout.contains("badges/1_attlog.dat 第4行"))
    }

    @Test func checkExitsOneWithTheErrorOnABadConfig() throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML.replacingOccurrences(of: "start = \"09:00\"",
                                                                                  with: "start = \"25:00\""))
        defer { folder.remove() }
        let run = try BuiltAgent.agent(["check", "--config", folder.configPath])
        #expect(run.status == 1)
        #expect(run.stderr.contains("agent.toml:19: shift[1].start: \"25:00\" is not a time of day"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func validateListsEveryProblemAndExitsOne() throws {
        let clean = try BuiltAgent.agent(["validate", "--config",
                                          BuiltAgent.scenarios.appendingPathComponent("05-off-post/agent.toml").path])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.hasPrefix("no problems"))

        let dirty = try BuiltAgent.agent(["validate", "--config",
                                          BuiltAgent.scenarios.appendingPathComponent("10-bad-lines/agent.toml").path])
        #expect(dirty.status == 1)
        let lines = dirty.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("badges/1_attlog.dat:4: ") })
        #expect(lines.contains { $0.hasPrefix("badges/1_attlog.dat:8: ") })
        #expect(lines.contains { $0.hasPrefix("badges/1_attlog.dat:13: badge: badge 9999") })
        #expect(lines.last?.hasPrefix("3 problems") == true, "\(dirty.stdout)")
    }
}
