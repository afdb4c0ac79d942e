import Foundation
import Testing
@testable import DutyAgent

/// The example of docs/adms.md ("Receiver and duty alerts, without a collector") is a config the
/// real parser takes as written, and `duty-agent validate` passes it.
@Suite struct DocsExampleConfigTests {
    /// The TOML block after `<!-- example: adms-alerts -->` in docs/adms.md.
    static func example() throws -> String {
        let doc = try String(contentsOf: E2EPaths.root.appendingPathComponent("docs/adms.md"), encoding: .utf8)
        let marker = try #require(doc.range(of: "<!-- example: adms-alerts -->\n```toml\n"))
        let end = try #require(doc.range(of: "\n```", range: marker.upperBound..<doc.endIndex))
        return String(doc[marker.upperBound..<end.lowerBound]) + "\n"
    }

    /// The example's folder: the config and the files it names.
    static func folder() throws -> ConfigFolder {
        try ConfigFolder(try example(), files: [
            "people.csv": "id,name,unit\n1001,张伟,市场监管局/办公室\n",
            "roster.csv": "date,person,shift\n2026-11-30,1001,duty\n",
            "dingtalk.secret": "SEC0123456789abcdef\n",
        ])
    }

    @Test func theReceiverAndAlertsExampleParsesAsDocumented() throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.collector == nil)
        let adms = try #require(config.adms)
        #expect(adms.port == 8081 && adms.offlineMinutes == 10)
        #expect(adms.devices.map(\.reader) == ["room-in", "room-out"])
        let alerts = try #require(config.alerts)
        #expect(alerts.targets.count == 2)
        #expect(alerts.targets[1].events == [.readerOffline])
    }

    @Test(.enabled(if: E2E.agent != nil, "duty-agent is not built beside the tests"))
    func validatePassesTheExample() async throws {
        let folder = try Self.folder()
        defer { folder.remove() }
        let run = try await ChildProcess.execute(E2E.agent!, ["validate", "--config", folder.configPath], folder: folder.url,
                                                 label: "validate")
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    }
}
