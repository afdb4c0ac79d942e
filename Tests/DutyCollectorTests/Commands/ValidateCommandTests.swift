import Foundation
import Testing
@testable import DutyCollector

/// `duty-collector validate`, run as a user runs it: the real executable on a config file, with
/// its own environment.
@Suite struct ValidateCommandTests {
    /// Runs the executable in `directory` with only `environment` among the `DUTY_COLLECTOR_*`
    /// variables; returns the exit status, standard output and standard error.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, errors: String)
    {
        let process = Process()
        process.executableURL = try ServeEndToEndTests.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DUTY_COLLECTOR_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are small here (a few lines); read them whole after the exit.
        process.waitUntilExit()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output, errors)
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let broken = """
        [server]
        port = "http"
        max_connections = 0

        [database]
        url = "mysql://db/duty"

        [console]
        absolute_hours = 200

        [bulletin]
        repeat_late_early = 0
        colour = "red"
        """

    @Test func everyProblemIsPrintedWithItsLineAndTheExitIsOne() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.broken.write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let result = try Self.run(["validate", "--config", "collector.toml"], in: dir,
                                  environment: ["DUTY_COLLECTOR_MAX_BODY_KB": "-1"])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines == [
            "collector.toml:2: server.port: must be a whole number",
            "collector.toml:3: server.max_connections: must be from 1 to 1000000, got 0",
            "collector.toml:6: database.url: must be sqlite:FILE or postgres://…, got \"mysql://db/duty\"",
            "collector.toml:9: console.absolute_hours: must be from 1 to 168, got 200",
            "collector.toml:12: bulletin.repeat_late_early: must be a whole number of at least 1",
            "collector.toml:13: bulletin.colour: unknown key (expected one of: document_number, office, organization, "
                + "repeat_absent, repeat_late_early, repeat_off_post, timezone)",
            "environment: DUTY_COLLECTOR_MAX_BODY_KB: must be a positive whole number, got \"-1\"",
            "7 problems in the configuration",
        ])
        // Nothing was created: validate opens no database.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["collector.toml"])
    }

    @Test func serveRefusesABrokenConfigListingEveryProblem() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.broken.write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let result = try Self.run(["serve", "--config", "collector.toml"], in: dir)
        #expect(result.status != 0)
        for key in ["server.port", "server.max_connections", "database.url", "console.absolute_hours",
                    "bulletin.repeat_late_early", "bulletin.colour"] {
            #expect(result.errors.contains(": \(key): "), "serve's error does not name \(key): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("duty-collector.sqlite").path))
    }

    @Test func aGoodConfigHasNoProblems() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[server]\nport = 9090\n[database]\nurl = \"sqlite:c.sqlite\"\n"
            .write(to: dir.appendingPathComponent("collector.toml"), atomically: true, encoding: .utf8)
        let result = try Self.run(["validate", "--config", "collector.toml"], in: dir)
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("no problems; collector.toml: http://127.0.0.1:9090, database sqlite:"))
        #expect(result.output.contains("0 reviewers, no admin token"))
        let defaults = try Self.run(["validate"], in: dir, environment: ["DUTY_COLLECTOR_ADMIN_TOKEN": "env-admin-token-0123456789"])
        #expect(defaults.status == 0)
        #expect(defaults.output.contains("no config file (defaults): http://127.0.0.1:8080"))
        #expect(defaults.output.contains("an admin token"))
    }

    /// What only `serve` used to find: TLS files that cannot be used and plain HTTP off loopback.
    @Test func theTLSFilesAndThePlainHTTPRuleAreChecked() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("collector.toml").path
        try "[server]\nhost = \"0.0.0.0\"\n\ntls_cert = \"missing.pem\"\ntls_key = \"key.pem\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let tls = ValidateCommand.inspect(configPath: path, environment: [:], currentDirectory: dir)
        #expect(tls.problems.map(\.key) == ["server.tls_cert"])
        #expect(tls.problems.first?.line == 4)
        #expect(tls.problems.first?.message.hasSuffix("missing.pem: no such file") == true)
        #expect(tls.summary == "1 problem in the configuration")

        try "[server]\nhost = \"0.0.0.0\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let plain = ValidateCommand.inspect(configPath: path, environment: [:], currentDirectory: dir)
        #expect(plain.problems.map(\.key) == ["server.host"])
        let allowed = ValidateCommand.inspect(configPath: path, environment: ["DUTY_COLLECTOR_ALLOW_PLAIN_HTTP": "true"],
                                              currentDirectory: dir)
        #expect(allowed.problems.isEmpty)
    }
}
