import Foundation
import Shared
import Testing
@testable import DutyAgent

/// `duty-agent status` on the example office, whose exports end on 1 November 2026: it warns
/// loudly that the whole site has been silent, with the last punch; its JSON keys are snake_case.
@Suite struct StatusSilenceTests {
    /// A copy of `config/example` without its spool, in a fresh folder.
    static func exampleCopy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let office = dir.appendingPathComponent("example")
        try FileManager.default.copyItem(at: BuiltAgent.checkout.appendingPathComponent("config/example"), to: office)
        try? FileManager.default.removeItem(at: office.appendingPathComponent("spool"))
        return office
    }

    @Test func statusWarnsThatNoReaderPunchedForMoreThanADay() throws {
        let office = try Self.exampleCopy()
        defer { try? FileManager.default.removeItem(at: office.deletingLastPathComponent()) }
        let config = office.appendingPathComponent("agent.toml").path
        let text = try BuiltAgent.agent(["status", "--config", config])
        #expect(text.status == 0, "\(text.stderr)")
        let first = text.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("WARNING: no reader of the site has recorded a punch since 2026-11-01 08:02:34"), "\(text.stdout)")

        let json = try BuiltAgent.agent(["status", "--config", config, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["silence"] as? [String: Any])?["last_punch"] as? String == "2026-11-01T08:02:34")
        var keys: [String] = []
        func collect(_ value: Any) {
            if let d = value as? [String: Any] {
                for (k, v) in d { keys.append(k); collect(v) }
            } else if let a = value as? [Any] {
                a.forEach(collect)
            }
        }
        collect(object)
        #expect(keys.allSatisfy { $0 == $0.lowercased() }, "camelCase keys: \(keys.filter { $0 != $0.lowercased() })")
        #expect(keys.contains("inputs_error") || keys.contains("pending"))
    }

    @Test func silenceIsMeasuredFromTheLastPunchNotAfterNow() throws {
        let office = try Self.exampleCopy()
        defer { try? FileManager.default.removeItem(at: office.deletingLastPathComponent()) }
        let loaded = try Office.load(AgentConfig.load(path: office.appendingPathComponent("agent.toml").path))
        let quiet = try #require(SiteSilence.of(loaded, now: LocalDateTime("2026-11-03 08:02:34")!))
        #expect(quiet.lastPunch == LocalDateTime("2026-11-01 08:02:34") && quiet.hours == 48)
        // Within a day of the last punch: nothing to say.
        #expect(SiteSilence.of(loaded, now: LocalDateTime("2026-11-02 07:00:00")!) == nil)
        #expect(StatusCommand.dates(1) == "1 date" && StatusCommand.dates(2) == "2 dates")
    }
}
