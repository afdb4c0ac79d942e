import Foundation
import Testing

/// The `duty-agent` executable built beside the test bundle, run as a user would.
enum BuiltAgent {
    /// The checkout (`Package.swift`'s folder).
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The scenarios kept in the repository (`Tests/SharedFixtures/scenarios`, a copy of 01-10 of
    /// the shared folder), so a clone with nothing beside it runs them.
    static let scenarios = checkout.appendingPathComponent("Tests/SharedFixtures/scenarios")

    /// `../shared/scenarios` beside the checkout, when it is there.
    static let sharedScenarios = checkout.deletingLastPathComponent().appendingPathComponent("shared/scenarios")

    /// The built executable, or a failure naming where it was looked for.
    static func url() throws -> URL {
        var folders: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let exe = Bundle.main.executableURL { folders.append(exe.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        folders.append(checkout.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("duty-agent")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BuiltAgentMissing(searched: folders.map(\.path))
    }

    struct BuiltAgentMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the duty-agent executable was not found beside the tests (looked in \(searched.joined(separator: ", "))); "
                + "build it first with `swift build --build-tests`"
        }
    }

    /// The result of running a program.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` in `directory` and waits for it.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        // Output goes to files: no pipe can fill up and block the child.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("duty-agent-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Runs the built agent.
    static func agent(_ arguments: [String]) throws -> Run {
        try run(url(), arguments)
    }
}
