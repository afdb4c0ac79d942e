import Foundation
import Logging
import Testing
@testable import DutyAgent
import Shared

/// The ADMS receiver's last calls and limits, faked at the `ReaderLastSeen` boundary.
struct FakeLastSeen: ReaderLastSeen {
    var calls: [String: Date]
    /// Every reader's limit ([adms] offline_minutes of 10 by default).
    var limit: TimeInterval = 600
    func lastCalls() async -> [String: Date] { calls }
    func offlineLimits() async -> [String: TimeInterval] { calls.mapValues { _ in limit } }
}

/// `reader_offline`: queued for the targets that ask for it, once per outage, through the real
/// judging loop's `DutyAlertJudge` over a config on disk.
@Suite struct ReaderOfflineTests {
    @Test func aSilentReaderIsQueuedOnceForTheTargetsThatAskForIt() async throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML + """

            [alerts]
            offline_minutes = 1

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
        // [alerts] offline_minutes is deprecated: said, and ignored (reader 3, silent 1 minute, is not offline).
        #expect(config.warnings.map(\.field) == ["alerts.offline_minutes"])
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
