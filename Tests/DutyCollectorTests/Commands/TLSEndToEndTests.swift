import Foundation
import Testing

/// `duty-collector serve` over HTTPS, as an office's IT would set it up: certificates made here
/// by openssl (a private root, an intermediate, a server certificate for 127.0.0.1), the chain and
/// key named in collector.toml, curl as the client. And the refusals: a missing, unreadable or
/// mismatched file, and plain HTTP on a network address.
@Suite(.serialized) struct TLSEndToEndTests {
    /// A temporary folder with a private PKI: root.pem, chain.pem (server + intermediate), server.key,
    /// other.key (a key of no certificate here).
    static func pki() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
            key root.key; key inter.key; key server.key; key other.key
            openssl req -x509 -new -key root.key -out root.pem -days 2 -subj "/CN=DutyWatch Test Root" \\
                -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
            openssl req -new -key inter.key -out inter.csr -subj "/CN=DutyWatch Test Intermediate"
            printf "basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n" > inter.ext
            openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -out inter.pem -days 2 \\
                -extfile inter.ext 2>/dev/null
            openssl req -new -key server.key -out server.csr -subj "/CN=127.0.0.1"
            printf "subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n" > server.ext
            openssl x509 -req -in server.csr -CA inter.pem -CAkey inter.key -CAcreateserial -out server.pem -days 2 \\
                -extfile server.ext 2>/dev/null
            cat server.pem inter.pem > chain.pem
            """
        let status = try Self.shell(script, in: dir).status
        try #require(status == 0, "openssl could not make the test certificates")
        return dir
    }

    @discardableResult
    static func shell(_ script: String, in dir: URL) throws -> (status: Int32, output: String) {
        try Self.exec(URL(fileURLWithPath: "/bin/sh"), ["-c", script], in: dir)
    }

    static func exec(_ tool: URL, _ arguments: [String], in dir: URL,
                     environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = tool
        p.arguments = arguments
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `duty-collector ARGS` in `dir`, standard output and error together.
    static func collector(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try exec(try ServeEndToEndTests.executable, arguments, in: dir, environment: ["LOG_LEVEL": "info"])
    }

    /// Starts `serve --config collector.toml` (the file written from `toml`) and waits for its port.
    static func serve(_ toml: String, in dir: URL) async throws -> (process: Process, port: Int, log: URL) {
        try toml.write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = try ServeEndToEndTests.executable
        p.arguments = ["serve", "--config", "collector.toml"]
        p.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "info"
        environment["DUTY_COLLECTOR_ADMIN_TOKEN"] = "tls-admin-token-0123456789"
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        for _ in 0..<300 {
            try await Task.sleep(for: .milliseconds(100))
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("collector listening") }),
               let range = line.range(of: #"duty.port=\d+"#, options: .regularExpression),
               let port = Int(line[range].dropFirst("duty.port=".count)) {
                return (p, port, log)
            }
            try #require(p.isRunning, "serve exited: \(text)")
        }
        p.terminate()
        throw RawConnectionError("serve did not report its port")
    }

    static func stop(_ p: Process) async throws {
        guard p.isRunning else { return }
        kill(p.processIdentifier, SIGTERM)
        for _ in 0..<150 where p.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    }

    static func curl(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try exec(URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--max-time", "20"] + arguments, in: dir)
    }

    @Test func servesHTTPSWithAChainAndAgentsPostOverIt() async throws {
        let dir = try Self.pki()
        defer { try? FileManager.default.removeItem(at: dir) }
        let added = try Self.collector(["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队"], in: dir)
        #expect(added.status == 0)
        let token = try #require(added.output.split(separator: "\n").first { $0.count == 43 }.map(String.init))

        let (serve, port, log) = try await Self.serve("""
            [server]
            port = 0
            tls_cert = "chain.pem"
            tls_key = "server.key"
            """, in: dir)
        defer { kill(serve.processIdentifier, SIGKILL) }
        let base = "https://127.0.0.1:\(port)"
        let health = try Self.curl(["--cacert", "root.pem", "-D", "-", "\(base)/healthz"], in: dir)
        #expect(health.status == 0, "\(health.output)")
        #expect(health.output.hasPrefix("HTTP/1.1 200"))
        #expect(health.output.lowercased().contains("strict-transport-security: max-age=31536000"))

        let fixture = try #require(Bundle.module.url(forResource: "summary-v1", withExtension: "json", subdirectory: "Fixtures/wire"))
        let post = try Self.curl(["--cacert", "root.pem", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                  "-H", "Content-Type: application/json", "--data-binary", "@\(fixture.path)",
                                  "\(base)/api/v1/summaries"], in: dir)
        #expect(post.output == "201", "\(post.output)")

        // TLS 1.1 is refused by the server (the client allows it here: SECLEVEL=0).
        let old = try Self.curl(["--cacert", "root.pem", "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0",
                                 "-o", "/dev/null", "\(base)/healthz"], in: dir)
        #expect(old.status == 35 && old.output.contains("protocol version"), "\(old.output)")
        // A client that does not trust the private root refuses the connection; plain HTTP gets no answer.
        let untrusted = try Self.curl(["-o", "/dev/null", "\(base)/healthz"], in: dir)
        #expect(untrusted.status == 60, "\(untrusted.output)")
        let plain = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"], in: dir)
        #expect(plain.output.hasPrefix("000") || plain.status != 0)
        try await Self.stop(serve)
        #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("duty.scheme=https"))
    }

    @Test func aStalledHandshakeIsClosedByTheIdleTimeout() async throws {
        let dir = try Self.pki()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (serve, port, _) = try await Self.serve("""
            [server]
            port = 0
            tls_cert = "chain.pem"
            tls_key = "server.key"
            idle_timeout_s = 1
            """, in: dir)
        defer { kill(serve.processIdentifier, SIGKILL) }
        // The first bytes of a ClientHello, then nothing.
        let stalled = try RawConnection(port: port)
        stalled.send("\u{16}\u{03}\u{01}")
        #expect(try await stalled.closes(within: .seconds(15)), "a stalled TLS handshake was held")
        let silent = try RawConnection(port: port)
        #expect(try await silent.closes(within: .seconds(15)), "a silent connection was held")
        // Still serving.
        let health = try Self.curl(["--cacert", "root.pem", "-o", "/dev/null", "-w", "%{http_code}",
                                    "https://127.0.0.1:\(port)/healthz"], in: dir)
        #expect(health.output == "200")
        try await Self.stop(serve)
    }

    /// max_connections, with the executable: Hummingbird's test server (`.live`) drops the
    /// configuration's connection limit, so it is shown here.
    @Test func beyondMaxConnectionsANewOneWaitsUntilOneCloses() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-max-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (serve, port, _) = try await Self.serve("[server]\nport = 0\nmax_connections = 3\n", in: dir)
        defer { kill(serve.processIdentifier, SIGKILL) }
        // The log line's port was read; no connection is open yet. Three are served.
        var held: [RawConnection] = []
        for _ in 0..<3 {
            let c = try RawConnection(port: port)
            c.send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
            #expect(try await c.answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
            held.append(c)
        }
        let waiting = try RawConnection(port: port)
        waiting.send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n")
        #expect(try await waiting.answer(within: .seconds(2)) == nil, "a fourth connection was served with max_connections = 3")
        held.removeFirst()
        #expect(try await waiting.answer(within: .seconds(15))?.hasPrefix("HTTP/1.1 200") == true)
        try await Self.stop(serve)
    }

    @Test func certificateAndKeyProblemsNameTheFile() async throws {
        let dir = try Self.pki()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not a certificate\n".utf8).write(to: dir.appendingPathComponent("junk.pem"))
        let cases: [(cert: String, key: String, expected: [String])] = [
            ("missing.pem", "server.key", ["collector.toml:3: server.tls_cert", "missing.pem", "no such file"]),
            ("chain.pem", "missing.key", ["collector.toml:4: server.tls_key", "missing.key", "no such file"]),
            ("junk.pem", "server.key", ["server.tls_cert", "junk.pem", "not a PEM certificate"]),
            ("chain.pem", "root.pem", ["server.tls_key", "root.pem", "not a PEM private key"]),
            ("chain.pem", "other.key", ["server.tls_key", "other.key", "does not belong to the certificate", "chain.pem"]),
        ]
        for c in cases {
            try "[server]\nport = 0\ntls_cert = \"\(c.cert)\"\ntls_key = \"\(c.key)\"\n"
                .write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
            let r = try Self.collector(["serve", "--config", "collector.toml"], in: dir)
            #expect(r.status == 1, "\(c): \(r.output)")
            for text in c.expected { #expect(r.output.contains(text), "\(c): \(r.output)") }
        }
        try "[server]\ntls_cert = \"chain.pem\"\n".write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let half = try Self.collector(["serve", "--config", "collector.toml"], in: dir)
        #expect(half.status == 1)
        #expect(half.output.contains("server.tls_cert: needs server.tls_key too"))
    }

    @Test func plainHTTPOnANetworkAddressNeedsAllowPlainHTTP() async throws {
        let dir = try Self.pki()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[server]\nhost = \"0.0.0.0\"\nport = 0\n".write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let refused = try Self.collector(["serve", "--config", "collector.toml"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.output.contains("server.host"))
        #expect(refused.output.contains("allow_plain_http"))

        let (serve, port, log) = try await Self.serve("[server]\nhost = \"0.0.0.0\"\nport = 0\nallow_plain_http = true\n", in: dir)
        defer { kill(serve.processIdentifier, SIGKILL) }
        let health = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"], in: dir)
        #expect(health.output == "200")
        try await Self.stop(serve)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("warning") && text.contains("plain HTTP"))
    }
}
