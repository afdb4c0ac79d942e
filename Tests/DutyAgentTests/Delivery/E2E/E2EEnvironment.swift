import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where the real executables are for the end-to-end tests, and whether the tests can run.
///
/// duty-agent is found beside the test bundle (`.build/debug`); duty-collector by the environment
/// variable `DUTY_COLLECTOR`, else beside duty-agent. Without the collector the tests are disabled
/// with a reason, except under CI (`CI` set), where they fail.
enum E2E {
    static let isCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

    /// The build folder holding the test bundle and the products.
    static let buildFolder: URL? = {
        var url = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        for _ in 0..<5 {
            url = url.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("duty-agent").path) { return url }
        }
        return nil
    }()

    static let agent: URL? = buildFolder?.appendingPathComponent("duty-agent")

    static let collector: URL? = {
        if let path = ProcessInfo.processInfo.environment["DUTY_COLLECTOR"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        guard let beside = buildFolder?.appendingPathComponent("duty-collector"),
              FileManager.default.isExecutableFile(atPath: beside.path) else { return nil }
        return beside
    }()

    /// Whether the end-to-end suite runs: both executables found, or CI (where it then fails).
    static var enabled: Bool { (agent != nil && collector != nil) || isCI }

    static let disabledReason: Comment = """
        duty-collector not found: build it beside duty-agent (.build/debug) or set DUTY_COLLECTOR=/path/to/duty-collector
        """

    /// The two executables, or a failure naming what is missing (reached only when `enabled`).
    static func binaries() throws -> (agent: URL, collector: URL) {
        guard let agent else { throw E2EFailure("duty-agent is not built beside the test bundle") }
        guard let collector else {
            throw E2EFailure("CI is set and duty-collector is missing: \(disabledReason)")
        }
        return (agent, collector)
    }

    /// Whether this process can mount a small tmpfs (root with CAP_SYS_ADMIN), probed once.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("duty-tmpfs-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path) else { return false }
        return command("umount", probe.path)
    }()

    /// Runs a system command quietly; whether it succeeded.
    @discardableResult
    static func command(_ arguments: String...) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `condition` every 100 ms until it holds or `seconds` pass.
    static func wait(seconds: Double, for what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("timed out after \(Int(seconds)) s waiting for \(what)")
    }

    /// Runs `body` but gives up after `seconds`, throwing a failure that names `what`, even when
    /// `body` is stuck in an await that ignores cancellation (a lost continuation): a hang becomes
    /// a failing test, never an endless run. A stuck `body` is left behind.
    static func within<T: Sendable>(seconds: Double, _ what: String,
                                    _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: .seconds(seconds))
                if !Task.isCancelled { once.resume(.failure(E2EFailure("no result within \(Int(seconds)) s: \(what)"))) }
            }
            Task {
                do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of its racers comes first; later ones are ignored.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }

    func resume(_ result: Result<T, any Error>) {
        let first = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        first?.resume(with: result)
    }
}

/// A failed step of an end-to-end test, as a sentence.
struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process with its output in files (never a pipe that could fill up and block it).
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ executable: URL, _ arguments: [String], folder: URL, label: String, environment: [String: String] = [:]) throws {
        stdoutURL = folder.appendingPathComponent("\(label).out")
        stderrURL = folder.appendingPathComponent("\(label).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DUTY_AGENT_TOKEN")
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL and waits for the end.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits up to `seconds`, then SIGKILL (blocks the thread: for tear-downs).
    func terminate(seconds: Double = 10) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        kill9()
    }

    /// Sends SIGTERM and waits up to `seconds` without holding a thread of the cooperative pool,
    /// then SIGKILL.
    func terminated(seconds: Double = 10) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        kill9()
    }

    /// Waits for the end, at most `seconds` (then kill -9 and a failure naming the process);
    /// the exit status and both outputs. Blocks the thread: for synchronous set-up only.
    func finish(seconds: Double = 120) throws -> (status: Int32, stdout: String, stderr: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { throw overdue(seconds) }
            usleep(10_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }

    /// `finish(seconds:)` without holding a thread of the cooperative pool (which has as many
    /// threads as cores, two here, shared by every suite running in parallel).
    func finished(seconds: Double = 120) async throws -> (status: Int32, stdout: String, stderr: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { throw overdue(seconds) }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }

    private func overdue(_ seconds: Double) -> E2EFailure {
        kill9()
        return E2EFailure("\(process.executableURL?.lastPathComponent ?? "child") \(process.arguments ?? []) did not end "
                          + "within \(Int(seconds)) s and was killed; stderr: \(errors.suffix(1500))")
    }

    var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Runs to the end (at most `seconds`) and returns status and outputs; blocks the thread.
    static func run(_ executable: URL, _ arguments: [String], folder: URL, label: String,
                    environment: [String: String] = [:], seconds: Double = 120) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess(executable, arguments, folder: folder, label: label, environment: environment).finish(seconds: seconds)
    }

    /// Runs to the end (at most `seconds`) and returns status and outputs, without holding a thread.
    static func execute(_ executable: URL, _ arguments: [String], folder: URL, label: String,
                        environment: [String: String] = [:], seconds: Double = 120) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess(executable, arguments, folder: folder, label: label, environment: environment).finished(seconds: seconds)
    }
}
