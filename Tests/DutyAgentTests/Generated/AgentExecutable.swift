import Foundation

/// The built `duty-agent` and `python3`, run as a user runs them, for the end-to-end tests.
struct AgentExecutable {
    /// What a finished process left behind.
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// The package root, found from this file's place in `Tests/DutyAgentTests/Generated`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let url: URL

    /// Finds `duty-agent` beside the test bundle (`.build/<triple>/debug`), or at `$DUTY_AGENT`.
    static func locate() throws -> AgentExecutable {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["DUTY_AGENT"] { candidates.append(URL(fileURLWithPath: path)) }
        var folders: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        // On macOS the test binary sits inside X.xctest/Contents/MacOS.
        while folder.path.contains(".xctest") { folder = folder.deletingLastPathComponent() }
        folders.append(folder)
        folders.append(Bundle.main.bundleURL)
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        candidates += folders.map { $0.appendingPathComponent("duty-agent") }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return AgentExecutable(url: candidate)
        }
        throw Failure("""
            duty-agent is not built: looked at \(candidates.map(\.path).joined(separator: ", ")). \
            Run `swift build --product duty-agent` (or set DUTY_AGENT) before these tests.
            """)
    }

    /// Runs the agent with `arguments`.
    func run(_ arguments: [String]) throws -> Run {
        try Self.launch(url, arguments)
    }

    /// Runs `scripts/generate-office.py` with `arguments`; throws with its stderr when it fails.
    static func generateOffice(_ arguments: [String]) throws {
        let script = packageRoot.appendingPathComponent("scripts/generate-office.py").path
        let done = try launch(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script] + arguments)
        if done.status != 0 { throw Failure("generate-office.py exited \(done.status): \(done.stderr)") }
    }

    /// Starts a process; stdout is read through a pipe, stderr goes through a file so neither can block.
    static func launch(_ url: URL, _ arguments: [String]) throws -> Run {
        let errFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("dutywatch-stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return Run(status: process.terminationStatus, stdout: data, stderr: stderr)
    }

    /// A failure of the test harness itself, read as a sentence.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
