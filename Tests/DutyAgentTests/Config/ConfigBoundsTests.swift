import Foundation
import Shared
import Testing
@testable import DutyAgent

/// Huge numbers in the config are reported as out of range, with file, line and key, before any
/// arithmetic sees them (2^63-1 used to trap `check` and `validate`).
@Suite struct ConfigBoundsTests {
    static let huge = "9223372036854775807"

    @Test(arguments: ["grace_late", "grace_early", "check_in_early", "check_out_late", "debounce_seconds",
                      "away_limit", "serious_minutes", "absent_minutes"])
    func aHugeRuleValueIsOutOfRangeInRulesAndInAShift(_ key: String) throws {
        let toml = ConfigFolder.validTOML
            .replacingOccurrences(of: "[rules]\ngrace_late = 5", with: "[rules]\n\(key) = \(Self.huge)")
            .replacingOccurrences(of: "code = \"day\"\n", with: "code = \"day\"\n\(key) = \(Self.huge)\n")
        let folder = try ConfigFolder(toml)
        defer { folder.remove() }
        let problems = ValidateCommand.inspect(configPath: folder.configPath).problems
        let lines = toml.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = lines.indices.filter { lines[$0].hasPrefix("\(key) = \(Self.huge)") }.map { $0 + 1 }
        let ranged = problems.filter { $0.message.contains("out of range") }
        #expect(ranged.map(\.field) == ["rules.\(key)", "shift[1].\(key)"], "\(problems)")
        #expect(ranged.map(\.line) == expectedLines.map { Optional($0) })
        #expect(ranged.allSatisfy { $0.file == folder.configPath && $0.message.contains("at most") })
    }

    @Test func collectorNumbersAreBounded() throws {
        let toml = ConfigFolder.validTOML + """

            [collector]
            url = "http://127.0.0.1:8080"
            spool_max_mb = \(Self.huge)
            settle_minutes = \(Self.huge)
            scan_seconds = \(Self.huge)

            """
        let folder = try ConfigFolder(toml)
        defer { folder.remove() }
        let (_, problems) = AgentConfig.check(path: folder.configPath)
        #expect(Set(problems.compactMap(\.field)) == ["collector.spool_max_mb", "collector.settle_minutes", "collector.scan_seconds"])
        #expect(problems.allSatisfy { $0.line != nil && $0.message.contains("out of range") })
    }

    @Test func valuesAtTheBoundStillLoad() throws {
        let toml = ConfigFolder.validTOML.replacingOccurrences(of: "[rules]\ngrace_late = 5",
                                                               with: "[rules]\ncheck_out_late = 1440\ndebounce_seconds = 86400")
        let folder = try ConfigFolder(toml)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.rules.checkOutLate == 1440 && config.rules.debounceSeconds == 86400)
    }
}
