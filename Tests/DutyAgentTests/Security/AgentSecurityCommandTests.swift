import Foundation
import Testing
@testable import DutyAgent

/// Through the real executables: config input that used to kill both programs (SIGABRT inside
/// toml++ on `[办公室]`, a trap on 2^63-1 rule values) now ends with exit status 1 and an error
/// naming the file and line.
@Suite(.timeLimit(.minutes(2)), .enabled(if: E2E.agent != nil || E2E.isCI, "duty-agent is not built"))
struct AgentSecurityCommandTests {
    static func folder(_ toml: String) throws -> ConfigFolder { try ConfigFolder(toml) }

    func run(_ executable: URL, _ arguments: [String], in folder: ConfigFolder) async throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try await ChildProcess.execute(executable, arguments, folder: folder.url, label: "run-\(UUID().uuidString.prefix(6))")
        #expect(r.status == 0 || r.status == 1, "ended by a signal or crash, status \(r.status): \(r.stderr.suffix(800))")
        return r
    }

    @Test(arguments: ["[办公室]", "[é]", "[Ａ]", "[\u{301}x]", "[[办公室]]"])
    func aNonASCIITableNameIsAnErrorWithItsLineNotAnAbort(_ header: String) async throws {
        guard let agent = E2E.agent else { throw E2EFailure("duty-agent is not built") }
        let folder = try Self.folder(ConfigFolder.validTOML + "\n\(header)\nx = 1\n")
        defer { folder.remove() }
        let line = ConfigFolder.validTOML.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        for command in ["validate", "check"] {
            let r = try await run(agent, [command, "--config", folder.configPath], in: folder)
            #expect(r.status == 1)
            #expect((r.stdout + r.stderr).contains("agent.toml:\(line):"), "\(command): \(r.stdout) \(r.stderr)")
            #expect((r.stdout + r.stderr).contains("double quotes"), "\(command): \(r.stderr)")
        }
        if let collector = E2E.collector {
            try folder.write("collector.toml", "\(header)\nx = 1\n")
            let r = try await run(collector, ["digest", "--config", folder.url.appendingPathComponent("collector.toml").path], in: folder)
            #expect(r.status != 0 && r.stderr.contains("collector.toml") && r.stderr.contains("double quotes"), "\(r.stderr)")
        }
    }

    @Test func hugeRuleValuesAreOutOfRangeNotATrap() async throws {
        guard let agent = E2E.agent else { throw E2EFailure("duty-agent is not built") }
        let toml = ConfigFolder.validTOML.replacingOccurrences(
            of: "[rules]\ngrace_late = 5",
            with: "[rules]\ngrace_late = 9223372036854775807\ncheck_in_early = 9223372036854775807\n"
                + "check_out_late = 9223372036854775807\naway_limit = 9223372036854775807")
        let folder = try Self.folder(toml)
        defer { folder.remove() }
        let validate = try await run(agent, ["validate", "--config", folder.configPath], in: folder)
        #expect(validate.status == 1)
        for key in ["grace_late", "check_in_early", "check_out_late", "away_limit"] {
            #expect(validate.stdout.contains("rules.\(key): 9223372036854775807 is out of range"), "\(validate.stdout)")
        }
        let check = try await run(agent, ["check", "--config", folder.configPath, "--from", "2026-11-02", "--to", "2026-11-02"], in: folder)
        #expect(check.status == 1 && check.stderr.contains("out of range"), "\(check.stderr)")
    }
}
