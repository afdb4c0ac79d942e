import Foundation
import Testing
@testable import DutyCollector

/// The README's collector and agent commands, run as written (after its build lines) on a copy of
/// the example office, with the built `.build/debug` linked in: a command that no longer runs
/// fails here, not in front of a new user. Long-running commands (`serve`, `run`) are started,
/// checked and stopped; a command already run (the token issued once) is not run twice; the
/// PostgreSQL line is left out (it needs a server the README only names).
@Suite(.serialized) struct ReadmeCommandTests {
    static let checkout = FourWayFigureTests.checkout

    /// The lines of the README's `sh` blocks that run a built program.
    static func commands() throws -> [String] {
        let text = try String(contentsOf: checkout.appendingPathComponent("README.md"), encoding: .utf8)
        var inBlock = false
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("```") { inBlock = line == "```sh"; continue }
            guard inBlock else { continue }
            let command = line.split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard command.contains(".build/debug/duty-"), !command.contains("postgres://") else { continue }
            if !lines.contains(command) { lines.append(command) }
        }
        return lines
    }

    /// Runs `command` with `sh -c` in `folder`; waits for it; its standard output, then its standard error.
    static func shell(_ command: String, in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        let log = folder.appendingPathComponent("shell-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self) + errors)
    }

    /// Starts `command` with `sh -c` (through `exec env`, so the signal reaches the program even after a
    /// leading `VAR=value`), its output in `log`.
    static func start(_ command: String, in folder: URL, log: URL, environment: [String: String] = [:]) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec env " + command]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return process
    }

    @Test func everyCommandOfTheREADMERunsAsWritten() async throws {
        let commands = try Self.commands()
        try #require(commands.contains { $0.hasSuffix("duty-collector serve") } && commands.contains { $0.contains("duty-agent run") },
                     "the README lost its serve or run line: \(commands)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-readme-\(UUID().uuidString)")
        let office = dir.appendingPathComponent("config/example")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Self.checkout.appendingPathComponent("config/example"), to: office)
        for leftover in ["spool", "agent.token"] { try? FileManager.default.removeItem(at: office.appendingPathComponent(leftover)) }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(".build"),
                                                   withDestinationURL: Self.checkout.appendingPathComponent(".build"))

        var serve: Process?
        defer { if let serve, serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
        for command in commands {
            if command.hasSuffix("duty-collector serve") {
                // Every serve line must start and listen; the first keeps serving for the agent. A port
                // the line does not set is a free one, so that tests beside it do not collide on 8080.
                let log = dir.appendingPathComponent("serve-\(UUID().uuidString).log")
                var env = ["DUTY_COLLECTOR_LOG_LEVEL": "info"]
                if !command.contains("DUTY_COLLECTOR_PORT=") { env["DUTY_COLLECTOR_PORT"] = "0" }
                let process = try Self.start(command, in: dir, log: log, environment: env)
                var port: Int?
                for _ in 0..<300 where port == nil {
                    try await Task.sleep(for: .milliseconds(100))
                    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    if let range = text.range(of: #"duty.port=\d+"#, options: .regularExpression) {
                        port = Int(text[range].dropFirst("duty.port=".count))
                    }
                    try #require(process.isRunning, "\(command) exited: \(text)")
                }
                let listening = try #require(port, "\(command) did not report its port")
                if serve == nil {
                    serve = process
                    let config = office.appendingPathComponent("agent.toml")
                    let toml = try String(contentsOf: config, encoding: .utf8)
                        .replacingOccurrences(of: "http://127.0.0.1:8080", with: "http://127.0.0.1:\(listening)")
                    try toml.write(to: config, atomically: true, encoding: .utf8)
                } else {
                    kill(process.processIdentifier, SIGTERM)
                    process.waitUntilExit()
                }
            } else if command.contains("duty-agent run") {
                try #require(serve != nil, "the README runs the agent before any collector serves")
                let run = try Self.start(command, in: dir, log: dir.appendingPathComponent("run.log"))
                var acknowledged = 0
                for _ in 0..<240 where acknowledged < 31 {
                    try await Task.sleep(for: .milliseconds(500))
                    let status = try Self.shell(".build/debug/duty-agent status --config config/example/agent.toml", in: dir)
                    if let range = status.output.range(of: #"\d+ acknowledged"#, options: .regularExpression) {
                        acknowledged = Int(status.output[range].prefix { $0.isNumber }) ?? 0
                    }
                }
                kill(run.processIdentifier, SIGTERM)
                run.waitUntilExit()
                #expect(acknowledged >= 31, "duty-agent run did not deliver October: \((try? String(contentsOf: dir.appendingPathComponent("run.log"), encoding: .utf8)) ?? "")")
            } else {
                let result = try Self.shell(command, in: dir)
                #expect(result.status == 0, "\(command): exit \(result.status)\n\(result.output)")
            }
        }
    }
}
