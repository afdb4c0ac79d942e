import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `duty-collector` executable, as a user runs it: issue a token, serve on SQLite with
/// no config, receive the v1 fixture over a socket, answer the read API, stop on SIGTERM.
@Suite struct ServeEndToEndTests {
    /// The built executable beside the test bundle (`swift build` builds it with the tests).
    static var executable: URL {
        get throws {
            let url = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("duty-collector")
            try #require(FileManager.default.isExecutableFile(atPath: url.path), "build duty-collector first: \(url.path)")
            return url
        }
    }

    /// Runs the executable to completion in `directory`; returns its exit status and standard output.
    /// Starts `duty-collector serve` in `directory` on a free port with `adminToken`, and waits (up to
    /// 30 s) until its log names the port. The caller kills the process.
    static func startServe(in directory: URL, adminToken: String,
                           arguments: [String] = []) async throws -> (process: Process, base: String, log: URL) {
        let log = directory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let serve = Process()
        serve.executableURL = try executable
        serve.arguments = ["serve"] + arguments
        serve.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["DUTY_COLLECTOR_PORT"] = "0"
        environment["DUTY_COLLECTOR_ADMIN_TOKEN"] = adminToken
        environment["DUTY_COLLECTOR_LOG_LEVEL"] = "info"
        serve.environment = environment
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = try FileHandle(forWritingTo: log)
        try serve.run()
        var port: Int?
        for _ in 0..<300 where port == nil {
            try await Task.sleep(for: .milliseconds(100))
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("collector listening") }),
               let range = line.range(of: #"duty.port=\d+"#, options: .regularExpression) {
                port = Int(line[range].dropFirst("duty.port=".count))
            }
            try #require(serve.isRunning, "serve exited: \(text)")
        }
        return (serve, "http://127.0.0.1:\(try #require(port, "serve did not report its port"))", log)
    }

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Sends a request and returns the status and body.
    static func request(_ method: String, _ url: String, token: String? = nil, body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func serveReceivesTheFixtureAndStopsOnSIGTERM() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let added = try Self.run(["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队"], in: dir)
        #expect(added.status == 0)
        let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 43)

        let adminToken = "e2e-admin-token-0123456789"
        let (serve, base, log) = try await Self.startServe(in: dir, adminToken: adminToken)
        defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("duty-collector.sqlite").path))

        let fixture = try Data(contentsOf: try #require(
            Bundle.module.url(forResource: "summary-v1", withExtension: "json", subdirectory: "Fixtures/wire")))
        #expect(try await Self.request("GET", "\(base)/healthz").0 == 200)
        #expect(try await Self.request("POST", "\(base)/api/v1/summaries", token: token, body: fixture).0 == 201)
        #expect(try await Self.request("POST", "\(base)/api/v1/summaries", token: token, body: fixture).0 == 200)
        #expect(try await Self.request("POST", "\(base)/api/v1/summaries", token: "wrong-token-00000000", body: fixture).0 == 401)
        let (status, body) = try await Self.request("GET", "\(base)/api/v1/anomalies?from=2026-11-02&to=2026-11-02", token: adminToken)
        #expect(status == 200)
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect(object?["count"] as? Int == 6)
        let metrics = String(decoding: try await Self.request("GET", "\(base)/metrics").1, as: UTF8.self)
        #expect(metrics.contains("summaries_received_total 2"))
        #expect(metrics.contains(#"summaries_rejected_total{reason="unknown_token"} 1"#))

        kill(serve.processIdentifier, SIGTERM)
        for _ in 0..<150 where serve.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!serve.isRunning, "serve did not stop within 15 s of SIGTERM")
        if serve.isRunning { return }
        #expect(serve.terminationStatus == 0)
        #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("collector stopped"))

        let list = try Self.run(["agents", "list", "--format", "json"], in: dir)
        #expect(list.status == 0)
        #expect(list.output.contains("\"last_contact\""))
    }

    /// `serve` over PostgreSQL: the connection pool runs as a service of the same ServiceGroup as
    /// the HTTP server, and SIGTERM stops the server first, then the pool, exiting 0.
    @Test(.enabled(if: StorageBackend.postgresURL != nil, "DUTYWATCH_TEST_POSTGRES_URL is not set"))
    func serveOverPostgreSQLRunsThePoolAsAServiceAndStops() async throws {
        try await StorageBackend.withPostgresDatabase { url, _, _ in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-e2e-pg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try "[database]\nurl = \"\(url)\"\n".write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
            let added = try Self.run(["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队", "--config", "collector.toml"],
                                     in: dir)
            try #require(added.status == 0)
            let token = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let (serve, base, log) = try await Self.startServe(in: dir, adminToken: "e2e-admin-token-0123456789",
                                                               arguments: ["--config", "collector.toml"])
            defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
            let fixture = try Data(contentsOf: try #require(
                Bundle.module.url(forResource: "summary-v1", withExtension: "json", subdirectory: "Fixtures/wire")))
            #expect(try await Self.request("POST", "\(base)/api/v1/summaries", token: token, body: fixture).0 == 201)
            #expect(try await Self.request("GET", "\(base)/healthz").0 == 200)
            kill(serve.processIdentifier, SIGTERM)
            for _ in 0..<150 where serve.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!serve.isRunning, "serve did not stop within 15 s of SIGTERM")
            if serve.isRunning { return }
            #expect(serve.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("collector stopped"))
            // The stored summary outlives the server.
            let list = try Self.run(["digest", "--from", "2026-11-02", "--to", "2026-11-02", "--format", "json", "--config",
                                     "collector.toml"], in: dir)
            #expect(list.status == 0 && list.output.contains("\"total\" : 6"), "\(list.output)")
        }
    }
}
