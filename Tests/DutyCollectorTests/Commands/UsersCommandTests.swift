import Foundation
import HummingbirdBcrypt
import Shared
import Testing
@testable import DutyCollector

/// `duty-collector users add|list|disable|reset`, run as the real executable over a SQLite file.
@Suite struct UsersCommandTests {
    /// Runs the executable in `directory` with `input` on standard input; returns status, standard
    /// output and standard error.
    static func run(_ arguments: [String], in directory: URL, input: String? = nil) throws
        -> (status: Int32, output: String, error: String)
    {
        let process = Process()
        process.executableURL = try ServeEndToEndTests.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DUTY_COLLECTOR_DATABASE_URL")
        process.environment = environment
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    static func users(in directory: URL) async throws -> [UserAccount] {
        let config = CollectorConfig.defaults(directory: directory)
        return try await withStore(config: config) { try await $0.users() }
    }

    @Test func addPrintsAGeneratedPasswordOnceOrReadsOneFromStandardInput() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let added = try Self.run(["users", "add", "--name", "王敏", "--role", "hr", "--units", "市场监管局/执法大队"], in: dir)
        #expect(added.status == 0, "\(added.error)")
        let generated = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(generated.count == 16)
        #expect(added.error.contains("shown once"))
        let piped = try Self.run(["users", "add", "--name", "zhang", "--role", "staff", "--person", "1001", "--password-stdin"],
                                 in: dir, input: "my-own-password-7\n")
        #expect(piped.status == 0, "\(piped.error)")
        #expect(piped.output.isEmpty, "a password from standard input is not printed")

        let users = try await Self.users(in: dir)
        #expect(users.map(\.name) == ["zhang", "王敏"])
        let wang = try #require(users.last)
        #expect(wang.role == .hr && wang.units == [UnitPath("市场监管局/执法大队")])
        #expect(Bcrypt.verify(generated, hash: wang.passwordHash))
        #expect(wang.passwordHash.hasPrefix("$2b$12$"))
        #expect(Bcrypt.verify("my-own-password-7", hash: try #require(users.first).passwordHash))
        #expect(users.first?.person == "1001")

        let again = try Self.run(["users", "add", "--name", "王敏", "--role", "admin"], in: dir)
        #expect(again.status == 1)
        #expect(again.error.contains("a user named 王敏 exists"))
        let table = try Self.run(["users", "list"], in: dir)
        #expect(table.output.contains("王敏") && table.output.contains("市场监管局/执法大队") && table.output.contains("person 1001"))
        #expect(!table.output.contains("$2b$"), "no hash is listed")
        let json = try Self.run(["users", "list", "--format", "json"], in: dir)
        #expect(json.output.contains("\"role\" : \"staff\""))
        #expect(!json.output.contains("$2b$"))
    }

    @Test func theRulesOfARoleAndOfAPasswordAreCheckedBeforeAnythingIsWritten() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String?, String)] = [
            (["--name", "m", "--role", "manager"], nil, "--units: a manager needs at least one unit subtree"),
            (["--name", "s", "--role", "staff"], nil, "--person: a staff account needs the person id"),
            (["--name", "s", "--role", "staff", "--person", "1", "--units", "x"], nil, "--units: a staff account sees only"),
            (["--name", "a", "--role", "admin", "--person", "1"], nil, "--person: only a staff account"),
            (["--name", "h", "--role", "hr", "--password-stdin"], "short\n", "at least 10 characters"),
            (["--name", "h", "--role", "hr", "--password-stdin"], "1234567890123\n", "not only digits"),
            (["--name", "h", "--role", "boss"], nil, "boss"),
        ]
        for (arguments, input, message) in cases {
            let result = try Self.run(["users", "add"] + arguments, in: dir, input: input)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("duty-collector.sqlite").path))
    }

    @Test func disableAndResetAreRecordedAndResetReEnables() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.run(["users", "add", "--name", "li", "--role", "manager", "--units", "市场监管局/办公室"], in: dir).status == 0)
        #expect(try Self.run(["users", "disable", "--name", "li"], in: dir).output == "user li disabled\n")
        #expect(try await Self.users(in: dir).first?.isDisabled == true)
        #expect(try Self.run(["users", "list"], in: dir).output.contains("disabled"))
        let missing = try Self.run(["users", "disable", "--name", "nobody"], in: dir)
        #expect(missing.status == 1 && missing.error.contains("no user is named nobody"))

        let reset = try Self.run(["users", "reset", "--name", "li"], in: dir)
        #expect(reset.status == 0)
        let password = reset.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let li = try #require(try await Self.users(in: dir).first)
        #expect(!li.isDisabled)
        #expect(Bcrypt.verify(password, hash: li.passwordHash))
        let config = CollectorConfig.defaults(directory: dir)
        let events = try await withStore(config: config) { try await $0.events(kinds: nil, limit: 10) }
        #expect(events.map(\.kind) == [.passwordReset, .userDisabled, .userAdded])
        #expect(events.allSatisfy { $0.subject == "li" && $0.actor == "duty-collector users" })
    }
}
