import Foundation
import Logging
import Testing
@testable import DutyAgent
import Shared

/// The ADMS receiver's last calls, faked at the `ReaderLastSeen` boundary.
struct FakeLastSeen: ReaderLastSeen {
    var calls: [String: Date]
    func lastCalls() async -> [String: Date] { calls }
}

/// `reader_offline`: queued for the targets that ask for it, once per outage, through the real
/// judging loop's `DutyAlertJudge` over a config on disk.
@Suite struct ReaderOfflineTests {
    @Test func aSilentReaderIsQueuedOnceForTheTargetsThatAskForIt() async throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML + """

            [alerts]
            offline_minutes = 10

            [[alert]]
            kind = "webhook"
            url = "http://127.0.0.1:9/offline"
            events = ["reader_offline"]

            [[alert]]
            kind = "webhook"
            url = "http://127.0.0.1:9/duty"
            """)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        let settings = try #require(config.alerts)
        let now = Date()
        let lastSeen = FakeLastSeen(calls: ["2": now.addingTimeInterval(-11 * 60), "3": now.addingTimeInterval(-60)])
        let alerts = try AlertServices.build(configPath: folder.configPath, config: config, settings: settings,
                                             logger: Logger(label: "test"), lastSeen: lastSeen)
        #expect(try await alerts.judge.judge(now: now) == 1)
        #expect(try await alerts.judge.judge(now: now.addingTimeInterval(30)) == 0)
        let report = AlertsReport.read(settings)
        #expect(report.targets[0].queued.map(\.reader) == ["2"] && report.targets[0].queued[0].kind == "reader_offline")
        #expect(report.targets[1].queued.isEmpty)
    }
}
