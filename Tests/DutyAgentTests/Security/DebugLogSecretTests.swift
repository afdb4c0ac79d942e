import Foundation
import Testing

/// `DUTY_AGENT_LOG_LEVEL=debug` makes the service group log every service it starts. Those
/// services hold the collector token and the robots' webhook URLs (whose `access_token`/`key` is
/// the robot's password): the log must name the services without printing what they hold.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: E2E.agent != nil, "duty-agent is not built beside the tests"))
struct DebugLogSecretTests {
    @Test func theDebugLogNamesServicesWithoutTheirSecrets() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-debuglog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        try write("people.csv", "id,name,unit\nA,张伟,局/值班室\n")
        try write("badges.csv", "person,time,reader\nA,2026-11-02 08:55:00,1\n")
        try write("agent.toml", """
            [site]
            id = "debuglog"
            timezone = "UTC"

            [inputs]
            people = "people.csv"
            badges = ["badges.csv"]

            [[shift]]
            code = "day"
            start = "09:00"
            end = "17:00"

            [collector]
            url = "http://127.0.0.1:\(E2E.freePort())"
            spool = "spool"

            [[alert]]
            kind = "dingtalk"
            url = "http://127.0.0.1:\(E2E.freePort())/robot/send?access_token=ROBOT-PASSWORD-4711"
            """)
        let agent = try ChildProcess(E2E.agent!, ["run", "--config", folder.appendingPathComponent("agent.toml").path],
                                     folder: folder, label: "agent",
                                     environment: ["DUTY_AGENT_LOG_LEVEL": "debug",
                                                   "DUTY_AGENT_TOKEN": "COLLECTOR-TOKEN-0123456789abcdef"])
        func log() -> String { agent.errors }
        try await E2E.wait(seconds: 60, for: "the service group's debug lines") { log().contains("sl-services") }
        await agent.terminated()
        let text = log()
        #expect(text.contains("ScannerService") && text.contains("PusherService") && text.contains("alert judging"))
        #expect(!text.contains("COLLECTOR-TOKEN"), "the collector token is in the debug log")
        #expect(!text.contains("ROBOT-PASSWORD"), "a robot's access token is in the debug log")
    }
}
