import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Two real `duty-collector serve` processes over one PostgreSQL database, as behind a load
/// balancer: they start (and migrate) at the same moment, the same summaries posted to both at
/// once are stored once under the revision rules, a review made on one is seen on the other, and
/// a console session opened on one is valid on the other.
@Suite(.timeLimit(.minutes(5)), .enabled(if: StorageBackend.postgresURL != nil || StorageBackend.inCI,
                                         "DUTYWATCH_TEST_POSTGRES_URL is not set: the two-collector case is SKIPPED"))
struct TwoCollectorsEndToEndTests {
    typealias E2E = ServeEndToEndTests

    @Test func twoCollectorsOverOnePostgreSQLActAsOne() async throws {
        try await StorageBackend.withPostgresDatabase { url, _, _ in
            let dirs = try (0..<2).map { i in
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-e2e-two-\(i)-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try "[database]\nurl = \"\(url)\"\n".write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
                return dir
            }
            defer { for dir in dirs { try? FileManager.default.removeItem(at: dir) } }
            let admin = "e2e-admin-token-0123456789"

            // Both start on the empty database at once: the migrations run once, under the advisory lock.
            async let first = E2E.startServe(in: dirs[0], adminToken: admin, arguments: ["--config", "collector.toml"])
            async let second = E2E.startServe(in: dirs[1], adminToken: admin, arguments: ["--config", "collector.toml"])
            let (a, b) = try await (first, second)
            defer { for p in [a.process, b.process] where p.isRunning { kill(p.processIdentifier, SIGKILL) } }
            let bases = [a.base, b.base]

            let added = try E2E.run(["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队", "--config", "collector.toml"],
                                    in: dirs[0])
            try #require(added.status == 0)
            let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)

            // The same revision posted 16 times at once, alternately to each collector: stored once.
            let revision1 = try Data(contentsOf: try #require(
                Bundle.module.url(forResource: "summary-v1", withExtension: "json", subdirectory: "Fixtures/wire")))
            let text = String(decoding: revision1, as: UTF8.self)
            // The fixture is revision 3; its next revision (same content, so the same digest) is 4.
            try #require(text.contains("\"revision\" : 3,"))
            let revision2 = Data(text.replacingOccurrences(of: "\"revision\" : 3,", with: "\"revision\" : 4,").utf8)
            let round1 = try await Self.postAtOnce((0..<16).map { (bases[$0 % 2], revision1) }, token: token)
            #expect(round1.filter { $0 == 201 }.count == 1, "\(round1)")
            #expect(round1.filter { $0 == 200 }.count == 15, "\(round1)")

            // The next revision and more copies of this one at once: the newer is stored once; an
            // older copy is either "already stored" (200, before the newer commits) or stale (409).
            let mixed = (0..<16).map { i in (bases[i % 2], i % 4 == 0 ? revision2 : revision1) }
            let round2 = try await Self.postAtOnce(mixed, token: token)
            let newer = zip(mixed, round2).filter { $0.0.1 == revision2 }.map(\.1)
            let older = zip(mixed, round2).filter { $0.0.1 == revision1 }.map(\.1)
            #expect(newer.filter { $0 == 201 }.count == 1 && newer.allSatisfy { [200, 201].contains($0) }, "\(newer)")
            #expect(older.allSatisfy { [200, 409].contains($0) }, "\(older)")

            // Both collectors answer the same: the newer revision, its six anomalies once each.
            for base in bases {
                let (status, body) = try await E2E.request("GET", "\(base)/api/v1/anomalies?from=2026-11-02&to=2026-11-02", token: admin)
                #expect(status == 200)
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                let anomalies = object?["anomalies"] as? [[String: Any]] ?? []
                #expect(object?["count"] as? Int == 6, "\(base)")
                #expect(Set(anomalies.compactMap { $0["id"] as? String }).count == 6)
                #expect(anomalies.allSatisfy { $0["revision"] as? Int == 4 })
            }

            // A review made on the first is seen on the second, and audited once.
            let id = "a7f927a3d21aff84eaeb8ecb"
            let decision = Data(#"{"state":"excused","note":"大门读卡器故障，已核实","by":"hr-li"}"#.utf8)
            #expect(try await E2E.request("POST", "\(bases[0])/api/v1/anomalies/\(id)/review", token: admin, body: decision).0 == 200)
            let (status, body) = try await E2E.request("GET", "\(bases[1])/api/v1/anomalies?state=excused", token: admin)
            #expect(status == 200)
            let excused = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["anomalies"] as? [[String: Any]] ?? []
            let reviewed = try #require(excused.first { $0["id"] as? String == id }, "the review is not seen on the second collector")
            #expect((reviewed["review"] as? [String: Any])?["by"] as? String == "hr-li")
            let audit = try await E2E.request("GET", "\(bases[1])/api/v1/audit?anomaly=\(id)", token: admin).1
            let entries = (try JSONSerialization.jsonObject(with: audit) as? [String: Any])?["entries"] as? [Any] ?? []
            #expect(entries.count == 1)

            // A console session opened on the first collector is valid on the second.
            let user = try E2E.run(["users", "add", "--name", "hr-li", "--role", "hr", "--config", "collector.toml"], in: dirs[1])
            try #require(user.status == 0)
            let password = try #require(user.output.split(separator: "\n").first.map(String.init))
            let ports = try bases.map { try #require(Int($0.split(separator: ":").last ?? "")) }
            let login = try await Self.raw(port: ports[0], "GET", "/login")
            let loginCookie = try #require(login.cookies["dw_login"])
            let csrf = try #require(Self.hidden("csrf", in: login.body))
            let form = "csrf=\(Self.escape(csrf))&name=hr-li&password=\(Self.escape(password))&next="
            let signedIn = try await Self.raw(port: ports[0], "POST", "/login", cookie: "dw_login=\(loginCookie)", form: form)
            #expect(signedIn.status == 303, "\(signedIn.body)")
            let session = try #require(signedIn.cookies["dw_session"])
            let other = try await Self.raw(port: ports[1], "GET", "/account", cookie: "dw_session=\(session)")
            #expect(other.status == 200)
            #expect(other.body.contains("hr-li"))
            #expect(try await Self.raw(port: ports[1], "GET", "/account").status != 200, "no cookie, no page")

            for p in [a.process, b.process] { kill(p.processIdentifier, SIGTERM) }
            for _ in 0..<150 where a.process.isRunning || b.process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!a.process.isRunning && !b.process.isRunning, "a collector did not stop within 15 s of SIGTERM")
        }
    }

    /// Posts every (base, body) at once; the statuses in order.
    static func postAtOnce(_ posts: [(String, Data)], token: String) async throws -> [Int] {
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for (i, (base, body)) in posts.enumerated() {
                group.addTask { (i, try await E2E.request("POST", "\(base)/api/v1/summaries", token: token, body: body).0) }
            }
            var statuses = Array(repeating: 0, count: posts.count)
            for try await (i, status) in group { statuses[i] = status }
            return statuses
        }
    }

    /// One HTTP/1.1 request over a socket of its own (no cookie jar, no redirects followed).
    static func raw(port: Int, _ method: String, _ path: String, cookie: String? = nil,
                    form: String? = nil) async throws -> (status: Int, cookies: [String: String], body: String) {
        let connection = try RawConnection(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let cookie { head += "Cookie: \(cookie)\r\n" }
        if let form {
            head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n"
        }
        try #require(connection.send(head + "\r\n" + (form ?? "")))
        let answer = try #require(try await connection.answer(within: .seconds(30)), "no answer to \(method) \(path)")
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var cookies: [String: String] = [:]
        for line in lines.dropFirst() where line.lowercased().hasPrefix("set-cookie:") {
            let pair = line.dropFirst("set-cookie:".count).split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
            if let eq = pair.firstIndex(of: "=") { cookies[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
        }
        return (status, cookies, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }
}
