import Foundation
import Testing

/// The last mile, all real: `duty-agent run` with `[adms]` and `[[alert]]` and no `[collector]`, the
/// simulated device `scripts/adms-device.py` pushing the duty officer's punches, and
/// `scripts/webhook-receiver.py` as the targets. The judging runs only every 10 minutes here: an
/// alert that arrives within the test's waits was woken by the pushed punch.
@Suite(.serialized, .timeLimit(.minutes(4)), .enabled(if: E2E.agent != nil, "duty-agent is not built beside the tests"))
struct PushedAlertEndToEndTests {
    static let python = URL(fileURLWithPath: "/usr/bin/env")
    static let device = E2EPaths.root.appendingPathComponent("scripts/adms-device.py").path

    final class Site: AlertTestSite, @unchecked Sendable {
        let admsPort = E2E.freePort()

        init() { super.init(name: "push-alerts-e2e") }

        /// A whole minute two minutes ago: the exit is 30 minutes before it, the return at it.
        let back: Date = {
            let now = Date().timeIntervalSince1970
            return Date(timeIntervalSince1970: (now / 60).rounded(.down) * 60 - 120)
        }()
        var start: Date { back.addingTimeInterval(-90 * 60) }
        var end: Date { back.addingTimeInterval(4 * 60) }
        var date: String { String(formatter.string(from: back).prefix(10)) }

        /// One duty officer (1001) on a shift that began 90 minutes ago and ends in a minute or two
        /// (a whole minute 4 minutes after `back`); the duty room's two readers push.
        func setUp(scanSeconds: Int) async throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try write("people.csv", "id,name,unit\n1001,王芳,局/值班室\n")
            try write("roster.csv", "date,person,shift\n\(date),1001,duty\n")
            // 1001's arrival 80 minutes ago came in an export file; the rest is pushed.
            try write("badges.csv", "person,time,reader\n1001,\(stamp(start.addingTimeInterval(10 * 60))),room-in\n")
            try writeConfig(scanSeconds: scanSeconds)
            try await startReceiver()
        }

        func writeConfig(scanSeconds: Int) throws {
            try write("agent.toml", """
                [site]
                id = "push-e2e"
                timezone = "\(zone)"

                [inputs]
                people = "people.csv"
                roster = "roster.csv"
                badges = ["badges.csv"]

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
                end = "\(hm(end))"
                posts = ["duty-room"]
                away_limit = 15

                [adms]
                listen = "127.0.0.1:\(admsPort)"

                [[adms.device]]
                serial = "DUTYIN0001"
                reader = "room-in"

                [[adms.device]]
                serial = "DUTYOUT001"
                reader = "room-out"

                [alerts]
                scan_seconds = \(scanSeconds)
                watch_seconds = 0

                [[alert]]
                kind = "webhook"
                url = "http://127.0.0.1:\(port)/duty"

                [[alert]]
                kind = "webhook"
                url = "http://127.0.0.1:\(port)/it"
                events = ["reader_offline"]
                """)
        }

        /// Delivered alerts to `path` as `kind person-or-reader`, in arrival order.
        func delivered(_ path: String) -> [Received] {
            received().filter { $0.path == path && $0.answered == "ok" }
        }

        func summary(_ path: String) -> [String] {
            delivered(path).map { "\($0.body?["kind"]?.string ?? "?") \($0.body?["person"]?.string ?? $0.body?["reader"]?.string ?? "?")" }
        }

        func agent(_ label: String, offlineSeconds: Int) async throws -> ChildProcess {
            let child = try ChildProcess(E2E.agent!, ["run", "--config", config], folder: folder, label: label,
                                         environment: ["DUTY_AGENT_ADMS_OFFLINE_SECONDS": "\(offlineSeconds)",
                                                       "DUTY_AGENT_LOG_LEVEL": "debug"])
            try await E2E.wait(seconds: 60, for: "the ADMS receiver to listen") {
                guard child.isRunning else { throw E2EFailure("agent exited: \(child.errors)") }
                return child.errors.contains("ADMS receiver listening")
            }
            return child
        }

        /// The `duty.bytes_read` of each `alert inputs read` in `agent`'s debug log, in order.
        func bytesRead(_ agent: ChildProcess) -> [Int] {
            agent.errors.split(separator: "\n").filter { $0.contains("alert inputs read") }.compactMap { line in
                line.range(of: "duty.bytes_read=").flatMap { Int(line[$0.upperBound...].prefix(while: \.isNumber)) }
            }
        }

        /// The lines of the ADMS journal file that holds `text`.
        func journalLines(containing text: String) -> [Substring] {
            let journal = folder.appendingPathComponent("adms")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: journal.path)) ?? [] where name.hasSuffix("_adms.dat") {
                let content = (try? String(contentsOf: journal.appendingPathComponent(name), encoding: .utf8)) ?? ""
                if content.contains(text) { return content.split(separator: "\n") }
            }
            return []
        }

        /// The device `serial` pushes one punch of B at `time`.
        func push(_ serial: String, _ time: Date, label: String) async throws {
            try write("\(label).txt", "1001\t\(stamp(time))\t0\n")
            let run = try await ChildProcess.execute(PushedAlertEndToEndTests.python,
                                                     ["python3", PushedAlertEndToEndTests.device, "--url", "http://127.0.0.1:\(admsPort)",
                                                      "--serial", serial, "--punches", "\(label).txt"],
                                                     folder: folder, label: label, seconds: 60)
            #expect(run.status == 0 && run.stdout.contains("OK: 1"), "\(run.stdout) \(run.stderr)")
        }
    }

    @Test func pushedPunchesRaiseAwayAndReturnOnceASilentDeviceIsOfflineOnceAndTheDigestAgrees() async throws {
        let site = Site()
        defer { site.tearDown() }
        try await site.setUp(scanSeconds: 600)
        var agent = try await site.agent("agent1", offlineSeconds: 3_600)
        defer { agent.terminate() }

        // 1001 left 32 minutes ago: pushed now, the away alert is due at once.
        let exit = site.back.addingTimeInterval(-30 * 60)
        try await site.push("DUTYOUT001", exit, label: "exit")
        try await E2E.wait(seconds: 60, for: "the away alert (the judging runs every 10 minutes: only the push wakes it)") {
            site.delivered("/duty").count >= 1
        }
        try await Task.sleep(for: .seconds(1))
        #expect(site.summary("/duty") == ["away_over_limit 1001"], "\(agent.errors)")

        // 1001 is back: the return pushed gives 已返回 with the 30 minutes away.
        try await site.push("DUTYIN0001", site.back, label: "return")
        try await E2E.wait(seconds: 60, for: "the return alert") { site.delivered("/duty").count >= 2 }
        #expect(site.summary("/duty") == ["away_over_limit 1001", "returned 1001"])
        let returned = try #require(site.delivered("/duty").last)
        #expect(returned.body?["minutes"]?.int == 30, "\(String(describing: returned.body))")

        // The shift ends; 1001 leaves at its end (pushed): nothing more is raised. Then the duty digest of
        // the day says the same 30 minutes off post.
        try await E2E.wait(seconds: 240, for: "the end of the shift") { Date() > site.end.addingTimeInterval(1) }
        let readsBefore = site.bytesRead(agent).count
        try await site.push("DUTYOUT001", site.end, label: "leave")
        // The judging follows the journal: the leave, appended to the file that holds the exit, is read alone.
        try await E2E.wait(seconds: 30, for: "the leave read by the alert judging") { site.bytesRead(agent).count > readsBefore }
        let lines = site.journalLines(containing: site.stamp(site.end))
        #expect(lines.count >= 2 && lines.contains { $0.contains(site.stamp(exit)) }, "\(lines)")
        #expect(site.bytesRead(agent).last == (lines.last?.utf8.count ?? 0) + 1, "\(site.bytesRead(agent)) \(lines)")
        let check = try await ChildProcess.execute(E2E.agent!, ["check", "--config", site.config, "--from", site.date, "--to", site.date,
                                                                "--format", "json"], folder: site.folder, label: "check")
        #expect(check.status == 0, "\(check.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let offPost = (doc["anomalies"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "off_post" }
        #expect(offPost.count == 1 && (doc["anomalies"] as? [Any])?.count == 2, "\(check.stdout)")
        #expect(offPost.first?["minutes"] as? Int == returned.body?["minutes"]?.int, "\(offPost)")

        // Restarted with a quick judging and readers offline after 3 s of silence: the devices have
        // stopped calling, so each reader raises reader_offline once, to the target that asked for it only.
        await agent.terminated()
        try site.writeConfig(scanSeconds: 1)
        agent = try await site.agent("agent2", offlineSeconds: 3)
        try await E2E.wait(seconds: 60, for: "the reader-offline alerts") { site.delivered("/it").count >= 2 }
        try await Task.sleep(for: .seconds(5))
        #expect(site.summary("/it").sorted() == ["reader_offline room-in", "reader_offline room-out"])
        #expect(site.summary("/duty") == ["away_over_limit 1001", "returned 1001"])

        // status shows both the devices and the alert queue.
        let status = try await ChildProcess.execute(E2E.agent!, ["status", "--config", site.config], folder: site.folder,
                                                    label: "status", environment: ["DUTY_AGENT_ADMS_OFFLINE_SECONDS": "3"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("DUTYIN0001 reader room-in: "), "\(status.stdout)")
        #expect(status.stdout.contains("alert[1] (webhook): 0 queued, ok"), "\(status.stdout)")
        #expect(status.stdout.contains("returned 1001"), "\(status.stdout)")
    }
}
