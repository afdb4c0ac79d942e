import Foundation
import Testing

/// The real `duty-agent run` (alerts only, no collector), badge lines appended while it runs, and
/// `scripts/webhook-receiver.py` as the robots: every alert arrives once, in order, across a
/// kill -9 and a restart; a failing target is retried until it succeeds; `units` are respected.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: E2E.agent != nil, "duty-agent is not built beside the tests"))
struct AlertEndToEndTests {
    /// One request the receiver recorded.
    struct Received: Decodable {
        var path: String
        var body: [String: AnyJSON]?
        var answered: String
        var vendor: String
        /// Whether the DingTalk or Feishu signature verified (nil: not checked).
        var signature_ok: Bool?
    }

    /// Just enough JSON to read strings out of a body.
    enum AnyJSON: Decodable {
        case string(String), other
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            self = (try? c.decode(String.self)).map(AnyJSON.string) ?? .other
        }
        var string: String? { if case .string(let s) = self { s } else { nil } }
    }

    final class Site: @unchecked Sendable {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-alerts-e2e-\(UUID().uuidString)")
        let port = E2E.freePort()
        var receiver: ChildProcess?
        /// A whole-hour zone in which it is about noon now, so that the shift (begun 30 minutes ago,
        /// four hours long) never crosses midnight, whatever the hour the tests run.
        static let zone: String = {
            let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour!
            let offset = 12 - hour  // -11 ... 12; Etc/GMT's sign is the other way round
            return offset == 0 ? "UTC" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
        }()
        let formatter: DateFormatter = {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: Site.zone)
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return f
        }()
        let start = Date().addingTimeInterval(-30 * 60)

        func time(_ offsetMinutes: Double) -> String { formatter.string(from: Date().addingTimeInterval(offsetMinutes * 60)) }

        func hm(_ date: Date) -> String { String(formatter.string(from: date).dropFirst(11).prefix(5)) }

        /// A duty shift that began 30 minutes ago (site time); A never comes, B arrived, C (another unit) never comes.
        func setUp() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let date = String(formatter.string(from: start).prefix(10))
            try write("people.csv", "id,name,unit\nA,张伟,局/值班室\nB,王芳,局/值班室\nC,李娜,局/办公室\n")
            try write("roster.csv", "date,person,shift\n\(date),A,duty\n\(date),B,duty\n\(date),C,duty\n")
            try write("badges.csv", "person,time,reader\nB,\(time(-40)),room-in\n")
            try write("agent.toml", """
                [site]
                id = "e2e"
                timezone = "\(Site.zone)"

                [inputs]
                people = "people.csv"
                badges = ["badges.csv"]
                roster = "roster.csv"

                [[reader]]
                id = "room-in"
                post = "duty-room"
                direction = "in"

                [[reader]]
                id = "room-out"
                post = "duty-room"
                direction = "out"

                [[shift]]
                code = "duty"
                name = "值班"
                kind = "duty"
                start = "\(hm(start))"
                end = "\(hm(start.addingTimeInterval(4 * 3600)))"
                posts = ["duty-room"]
                away_limit = 15

                [alerts]
                scan_seconds = 2

                [[alert]]
                kind = "webhook"
                url = "http://127.0.0.1:\(port)/hook"

                [[alert]]
                kind = "wecom"
                url = "http://127.0.0.1:\(port)/wecom?key=k"
                units = ["局/办公室"]

                [[alert]]
                kind = "dingtalk"
                url = "http://127.0.0.1:\(port)/dingtalk/robot/send?access_token=t"
                secret_file = "ding.secret"
                format = "markdown"
                events = ["not_arrived"]

                [[alert]]
                kind = "feishu"
                url = "http://127.0.0.1:\(port)/feishu/open-apis/bot/v2/hook/h"
                secret_file = "feishu.secret"
                events = ["not_arrived"]
                """)
            try write("ding.secret", "SEC0123456789abcdef+/=\n")
            try write("feishu.secret", "feishu-secret\n")
            let script = E2EPaths.root.appendingPathComponent("scripts/webhook-receiver.py").path
            receiver = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                        ["python3", script, "--port", "\(port)", "--log", folder.appendingPathComponent("received.jsonl").path,
                                         "--control", folder.appendingPathComponent("control.json").path,
                                         "--dingtalk-secret-file", folder.appendingPathComponent("ding.secret").path,
                                         "--feishu-secret-file", folder.appendingPathComponent("feishu.secret").path],
                                        folder: folder, label: "receiver")
        }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }

        func append(_ line: String) throws {
            let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("badges.csv"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
            try handle.close()
        }

        func received() -> [Received] {
            let text = (try? String(contentsOf: folder.appendingPathComponent("received.jsonl"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
        }

        /// Delivered (answered ok) webhook alerts as `kind person`, in arrival order.
        func delivered(_ vendor: String = "webhook") -> [String] {
            received().filter { $0.vendor == vendor && $0.answered == "ok" }.map { r in
                if vendor == "webhook" { return "\(r.body?["kind"]?.string ?? "?") \(r.body?["person"]?.string ?? "?")" }
                return "\(r.body?["msgtype"]?.string ?? r.body?["msg_type"]?.string ?? "?")"
            }
        }

        func agent(_ label: String) throws -> ChildProcess {
            try ChildProcess(E2E.agent!, ["run", "--config", folder.appendingPathComponent("agent.toml").path], folder: folder,
                             label: label, environment: ["DUTY_AGENT_RETRY_CAP_SECONDS": "1"])
        }

        func tearDown() {
            receiver?.terminate()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func eachAlertOnceInOrderAcrossKillAndRestartWithRetries() async throws {
        let site = Site()
        defer { site.tearDown() }
        try site.setUp()
        try await E2E.wait(seconds: 20, for: "the webhook receiver") { site.receiver?.output.contains("listening") == true }

        var agent = try site.agent("agent1")
        try await E2E.wait(seconds: 60, for: "two not-arrived alerts") { site.delivered().count >= 2 }
        #expect(site.delivered() == ["not_arrived A", "not_arrived C"])
        // The WeCom target hears about its unit only (C).
        try await E2E.wait(seconds: 30, for: "the wecom alert") { site.delivered("wecom").count >= 1 }

        // B leaves the post 20 minutes ago (a line appended while the agent runs).
        try site.append("B,\(site.time(-20)),room-out")
        try await E2E.wait(seconds: 30, for: "the away alert") { site.delivered().count >= 3 }
        #expect(site.delivered().last == "away_over_limit B")

        // kill -9, then a restart judges the same conditions again: nothing is sent twice.
        agent.kill9()
        agent = try site.agent("agent2")
        try await Task.sleep(for: .seconds(6))
        #expect(site.delivered() == ["not_arrived A", "not_arrived C", "away_over_limit B"])

        // Signed robots: the receiver checked DingTalk's and Feishu's signatures with the secrets.
        try await E2E.wait(seconds: 30, for: "the signed robots") {
            site.delivered("dingtalk").count >= 2 && site.delivered("feishu").count >= 2
        }
        #expect(site.delivered("dingtalk") == ["markdown", "markdown"] && site.delivered("feishu") == ["text", "text"])
        #expect(site.received().filter { $0.vendor == "dingtalk" || $0.vendor == "feishu" }.allSatisfy { $0.signature_ok == true })

        // The target drops the connection twice without answering, then takes B's return: retried until it succeeds.
        try site.write("control.json", #"{"fail": 2, "mode": "drop"}"#)
        try site.append("B,\(site.time(0)),room-in")
        try await E2E.wait(seconds: 60, for: "the return after the failures") { site.delivered().count >= 4 }
        #expect(site.received().filter { $0.vendor == "webhook" && $0.answered != "ok" }.count == 2)
        #expect(site.delivered() == ["not_arrived A", "not_arrived C", "away_over_limit B", "returned B"])
        #expect(site.delivered("wecom") == ["text"])
        #expect(site.delivered("dingtalk").count == 2 && site.delivered("feishu").count == 2)

        // status lists what was sent.
        await agent.terminated()
        let status = try await ChildProcess.execute(E2E.agent!, ["status", "--config", site.folder.appendingPathComponent("agent.toml").path],
                                                    folder: site.folder, label: "status")
        #expect(status.status == 0 && status.stdout.contains("alerts alert[1] (webhook): 0 queued, ok"))
        #expect(status.stdout.contains("returned B"))
    }
}

/// The package root, from this file's place in `Tests/DutyAgentTests/Alerts`.
enum E2EPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
