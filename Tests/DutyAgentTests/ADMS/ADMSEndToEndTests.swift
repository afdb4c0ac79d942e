import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `duty-agent run` receiving from the simulated device `scripts/adms-device.py`.
@Suite(.serialized) struct ADMSEndToEndTests {
    static let python = URL(fileURLWithPath: "/usr/bin/env")
    static let device = AgentExecutable.packageRoot.appendingPathComponent("scripts/adms-device.py").path
    static let serial = "CJDE193560303"
    static let date = "2026-11-25"
    /// Two people, a late arrival and an early departure among their punches.
    static let punches = [("1001", "08:50:00", 0), ("1002", "09:20:00", 0), ("1001", "17:40:00", 1), ("1002", "17:00:00", 1)]

    /// A folder with people, the day shift, reader 3 and `[adms]` on a free port.
    struct Site {
        let folder: URL
        let port: Int
        init(extra: String = "", badges: String = "") throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-adms-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            port = E2E.freePort()
            try write("people.csv", "id,name,unit\n1001,张伟,市场监管局/办公室\n1002,王芳,市场监管局/办公室\n1003,李娜,市场监管局/食品科\n")
            try write("agent.toml", """
                [site]
                id = "adms-e2e"
                timezone = "Asia/Shanghai"
                [inputs]
                people = "people.csv"
                \(badges)
                [[shift]]
                code = "day"
                start = "09:00"
                end = "17:30"
                [[schedule]]
                units = ["市场监管局"]
                shift = "day"
                days = "all"
                [[reader]]
                id = "3"
                [adms]
                listen = "127.0.0.1:\(port)"
                [[adms.device]]
                serial = "\(ADMSEndToEndTests.serial)"
                reader = "3"
                \(extra)
                """)
            let lines = ADMSEndToEndTests.punches.map { "\($0.0)\t\(ADMSEndToEndTests.date) \($0.1)\t\($0.2)" }
            try write("punches.txt", lines.joined(separator: "\n") + "\n")
        }
        func write(_ name: String, _ text: String) throws {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        var config: String { folder.appendingPathComponent("agent.toml").path }
        var url: String { "http://127.0.0.1:\(port)" }
        var journal: URL { folder.appendingPathComponent("adms/3_adms.dat") }
        func journalLines() -> [String] {
            ((try? String(contentsOf: journal, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func remove() { try? FileManager.default.removeItem(at: folder) }

        /// Starts `duty-agent run` and waits until the receiver answers.
        func start(_ label: String, environment: [String: String] = [:]) async throws -> ChildProcess {
            let agent = try AgentExecutable.locate().url
            let child = try ChildProcess(agent, ["run", "--config", config], folder: folder, label: label, environment: environment)
            try await E2E.wait(seconds: 60, for: "the ADMS receiver to listen") {
                guard child.isRunning else { throw E2EFailure("agent exited: \(child.errors)") }
                return child.errors.contains("ADMS receiver listening")
            }
            return child
        }

        /// Runs the simulated device to the end.
        func device(_ label: String, _ arguments: [String], environment: [String: String] = [:])
            async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.execute(ADMSEndToEndTests.python, ["python3", ADMSEndToEndTests.device, "--url", url] + arguments,
                                           folder: folder, label: label, environment: environment, seconds: 120)
        }

        /// `duty-agent` with `arguments` (check, status), to the end.
        func agent(_ label: String, _ arguments: [String], environment: [String: String] = [:])
            async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.execute(try AgentExecutable.locate().url, arguments + ["--config", config], folder: folder,
                                           label: label, environment: environment)
        }
    }

    @Test func punchesLandOnceThroughADroppedAnswerAndGiveTheDigestOfTheExport() async throws {
        let site = try Site()
        defer { site.remove() }
        let agent = try await site.start("agent")
        defer { agent.terminate() }
        let first = try await site.device("device1", ["--serial", Self.serial, "--punches", "punches.txt", "--batch", "2",
                                                      "--drop-answer", "1"])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("upload 1: answer dropped, sending again"))
        #expect(site.journalLines().count == 4)
        // The device sends everything again (a device reset to stamp None): still once each.
        let again = try await site.device("device2", ["--serial", Self.serial, "--punches", "punches.txt", "--batch", "3"])
        #expect(again.status == 0)
        #expect(site.journalLines().count == 4)

        // An unknown device is refused and shown by status.
        let stranger = try await site.device("stranger", ["--serial", "EVIL0001", "--generate", "1"])
        #expect(stranger.status == 1 && stranger.stdout.contains("handshake 403"))
        let status = try await site.agent("status", ["status", "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let adms = doc?["adms"] as? [String: Any]
        let refused = adms?["refused"] as? [[String: Any]]
        #expect(refused?.first?["serial"] as? String == "EVIL0001")
        #expect(refused?.first?["address"] as? String == "127.0.0.1")
        let devices = adms?["devices"] as? [[String: Any]]
        #expect(devices?.first?["state"] as? String == "online")
        #expect(devices?.first?["last_punch"] as? String == "\(Self.date)T17:40:00")
        // Garbage, an oversized body and a bad query: refused with a 4xx, and the agent keeps answering.
        let abuse = try await ChildProcess.execute(Self.python, ["python3", "-c", """
            import http.client, socket, sys
            s = socket.create_connection(("127.0.0.1", \(site.port))); s.sendall(b"\\x00\\xff GARBAGE\\r\\n\\r\\n"); s.close()
            codes = []
            for path, body in [("/iclock/cdata?SN=\(Self.serial)&table=ATTLOG", b"1\\t" + b"x" * 3000000),
                               ("/iclock/cdata?SN=%zz&table=ATTLOG", b""),
                               ("/iclock/cdata?SN=\(Self.serial)&table=ATTLOG", (b"1\\t2026-11-25 08:00:00\\n" * 20001))]:
                c = http.client.HTTPConnection("127.0.0.1", \(site.port), timeout=30)
                try:
                    c.request("POST", path, body=body); codes.append(c.getresponse().status)
                except (ConnectionError, http.client.HTTPException):
                    codes.append(0)
            c = http.client.HTTPConnection("127.0.0.1", \(site.port), timeout=30)
            c.request("GET", "/iclock/getrequest?SN=\(Self.serial)"); r = c.getresponse()
            print(codes, r.status, r.read().decode().strip())
            """], folder: site.folder, label: "abuse")
        #expect(abuse.stdout.hasSuffix("200 OK\n"), "\(abuse.stdout) \(abuse.stderr)")
        #expect(abuse.stdout.hasPrefix("[413, 400, 413]"), "\(abuse.stdout) \(abuse.stderr)")
        #expect(agent.isRunning)
        #expect(site.journalLines().count == 4)
        let text = try await site.agent("status-text", ["status"])
        #expect(text.stdout.contains("REFUSED unknown device EVIL0001 from 127.0.0.1"))

        // The digest of the pushed punches equals the digest of the same punches in an export file.
        let pushed = try await site.agent("check-pushed", ["check", "--from", Self.date, "--to", Self.date, "--format", "json"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let export = try Site(badges: "badges = [\"badges/*.dat\"]")
        defer { export.remove() }
        try export.write("badges/3_attlog.dat", Self.punches.map { "     \($0.0)\t\(Self.date) \($0.1)\t1\t\($0.2)\t1\t0\r\n" }.joined())
        let exported = try await export.agent("check-export", ["check", "--from", Self.date, "--to", Self.date, "--format", "json"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let normalized = pushed.stdout.replacingOccurrences(of: "adms/3_adms.dat", with: "badges/3_attlog.dat")
        #expect(normalized == exported.stdout)
        #expect(exported.stdout.contains("\"late\"") && exported.stdout.contains("\"early_leave\""))
    }

    @Test func aKillBetweenStoringAndAnsweringLosesNothingAndTheRetryAddsNothing() async throws {
        let site = try Site()
        defer { site.remove() }
        // The agent holds its answer for a minute after the lines are durable: it is killed in between.
        let first = try await site.start("agent1", environment: ["DUTY_AGENT_ADMS_ANSWER_DELAY_MS": "60000"])
        let device = try ChildProcess(Self.python, ["python3", Self.device, "--url", site.url, "--serial", Self.serial,
                                                    "--punches", "punches.txt", "--batch", "10", "--timeout", "90"],
                                      folder: site.folder, label: "device1")
        try await E2E.wait(seconds: 60, for: "the upload to be journalled") { site.journalLines().count == 4 }
        first.kill9()
        let unanswered = try await device.finished(seconds: 60)
        #expect(unanswered.status != 0)
        #expect(!unanswered.stdout.contains("upload 1: 200"))
        #expect(site.journalLines().count == 4)

        let second = try await site.start("agent2")
        defer { second.terminate() }
        let retry = try await site.device("device2", ["--serial", Self.serial, "--punches", "punches.txt", "--batch", "10"])
        #expect(retry.status == 0 && retry.stdout.contains("upload 1: 200 OK: 4"))
        #expect(site.journalLines().count == 4)
        #expect(Set(site.journalLines()).count == 4)
    }

    @Test func aSilentDeviceLeavesItsPeopleUnverifiedAndADriftingClockIsReported() async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = Date()
        func day(_ offset: Int) -> String {
            let d = calendar.date(byAdding: .day, value: offset, to: now)!
            let c = calendar.dateComponents([.year, .month, .day], from: d)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        let today = day(0)
        // History: 1001 and 1002 badge at reader 3 (so they rely on it); the shift covers the whole day.
        var history = ""
        for offset in -5 ... -1 {
            for p in ["1001", "1002"] { history += "     \(p)\t\(day(offset)) 00:30:00\t3\t0\t1\t0\n" }
        }
        let site = try Site(extra: "", badges: "badges = [\"badges/*.dat\"]")
        defer { site.remove() }
        try site.write("badges/3_attlog.dat", history)
        var toml = try String(contentsOf: URL(fileURLWithPath: site.config), encoding: .utf8)
        toml = toml.replacingOccurrences(of: "start = \"09:00\"\nend = \"17:30\"", with: "start = \"00:00\"\nend = \"23:59\"")
        try site.write("agent.toml", toml)
        let fast = ["DUTY_AGENT_ADMS_OFFLINE_SECONDS": "2"]
        let agent = try await site.start("agent", environment: fast)
        defer { agent.terminate() }
        // 1003 punches now on a device whose clock runs three minutes ahead; then the device is silent.
        let first = try await site.device("device1", ["--serial", Self.serial, "--generate", "1", "--pins", "1003", "--drift", "180"])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        try await Task.sleep(for: .seconds(3))
        let back = try await site.device("device2", ["--serial", Self.serial, "--no-handshake"])
        #expect(back.status == 0)
        let check = try await site.agent("check", ["check", "--from", today, "--to", today, "--format", "json"], environment: fast)
        #expect(check.status == 0, "\(check.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let quality = doc["quality"] as? [[String: Any]] ?? []
        let silent = quality.filter { $0["kind"] as? String == "reader_silent" && $0["reader"] as? String == "3" }
        #expect(!silent.isEmpty, "\(quality)")
        #expect(silent.allSatisfy { ($0["interval"] as? String)?.hasPrefix(today) == true })
        #expect(silent.contains { ($0["people"] as? [String])?.contains("张伟 (1001)") == true })
        let anomalies = doc["anomalies"] as? [[String: Any]] ?? []
        #expect(!anomalies.contains { ["1001", "1002"].contains($0["person"] as? String) && $0["kind"] as? String == "absent" })
        let totals = doc["totals"] as? [String: Any]
        let instances = totals?["instances"] as? [String: Any]
        #expect(instances?["unverified"] as? Int == 2)
        let skew = quality.first { $0["kind"] as? String == "clock_skew" }
        let drift = skew?["drift_seconds"] as? Int ?? skew?["driftSeconds"] as? Int
        #expect(drift.map { (170...190).contains($0) } == true, "\(quality)")
        let status = try await site.agent("status", ["status"], environment: fast)
        #expect(status.stdout.contains("\(Self.serial) reader 3: "))
        #expect(status.stdout.contains("CLOCK WRONG"))
    }

    @Test func aStoredPushWakesTheScannerAtOnce() async throws {
        // An hour between scans: only the receiver's hook can make the second read happen now.
        let site = try Site(extra: """

            [collector]
            url = "http://127.0.0.1:9"
            spool = "spool"
            scan_seconds = 3600
            """)
        defer { site.remove() }
        let agent = try await site.start("agent", environment: ["DUTY_AGENT_LOG_LEVEL": "debug", "DUTY_AGENT_TOKEN": "t"])
        defer { agent.terminate() }
        try await E2E.wait(seconds: 60, for: "the first scan") { agent.errors.components(separatedBy: "inputs read").count == 2 }
        let pushed = try await site.device("device", ["--serial", Self.serial, "--punches", "punches.txt"])
        #expect(pushed.status == 0)
        try await E2E.wait(seconds: 60, for: "a scan after the push") { agent.errors.components(separatedBy: "inputs read").count >= 3 }
    }
}
