import ArgumentParser
import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
import Shared
import Testing
@testable import DutyCollector

/// The command line: parsing, and `agents add|list|revoke` against a real SQLite file.
@Suite struct CommandLineTests {
    @Test func theRootCommandIsNamedAndHasItsSubcommands() throws {
        #expect(DutyCollectorCommand.configuration.commandName == "duty-collector")
        let names = DutyCollectorCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        #expect(names.contains("serve"))
        #expect(names.contains("agents"))
        #expect(names.contains("reviewers"))
        #expect(names.contains("digest"))
        #expect(names.contains("bulletin"))
    }

    @Test func agentsAddParsesSeveralUnits() throws {
        let command = try DutyCollectorCommand.parseAsRoot(
            ["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队", "市场监管局/办公室", "--config", "c.toml"])
        let add = try #require(command as? AgentsCommand.Add)
        #expect(add.id == "office-a")
        #expect(add.units == ["市场监管局/执法大队", "市场监管局/办公室"])
        #expect(add.options.config == "c.toml")
        #expect(throws: (any Error).self) { try DutyCollectorCommand.parseAsRoot(["agents", "add", "--units", "x"]) }
    }

    @Test func addListRevokeAgainstASQLiteFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("collector.toml").path
        try "[database]\nurl = \"sqlite:collector.sqlite\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)

        let add = try #require(try DutyCollectorCommand.parseAsRoot(
            ["agents", "add", "--id", "office-a", "--units", "市场监管局/执法大队", "--config", configPath]) as? AgentsCommand.Add)
        try await add.run()
        let revoke = try #require(try DutyCollectorCommand.parseAsRoot(
            ["agents", "revoke", "--id", "office-a", "--config", configPath]) as? AgentsCommand.Revoke)
        try await revoke.run()

        let config = try CollectorConfig.load(path: configPath, environment: [:])
        let agents = try await withStore(config: config) { try await $0.agents() }
        #expect(agents.map(\.id) == ["office-a"])
        #expect(agents.first?.unitPrefixes == [UnitPath("市场监管局/执法大队")])
        #expect(agents.first?.revokedAt != nil)
        #expect(agents.first.map { TokenHash.isHash($0.tokenHash) } == true)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("collector.sqlite").path))

        let missing = try #require(try DutyCollectorCommand.parseAsRoot(
            ["agents", "revoke", "--id", "nobody", "--config", configPath]) as? AgentsCommand.Revoke)
        await #expect(throws: CommandFailure.self) { try await missing.run() }
    }

    @Test func anUnreachableDatabaseIsNamed() async throws {
        var config = CollectorConfig.defaults(directory: URL(fileURLWithPath: "/"))
        config.database = .postgres(url: "postgres://duty:secret@127.0.0.1:1/duty")
        do {
            _ = try await openStore(config: config)
            Issue.record("opened a database that is not there")
        } catch let e as StoreOpenError {
            #expect(e.description.contains("postgres://duty:***@127.0.0.1:1/duty"))
            #expect(!e.description.contains("secret"))
        }
    }

    @Test func agentTablesAlignChineseUnits() {
        let agents = [
            AgentRecord(id: "office-a", unitPrefixes: [UnitPath("市场监管局/执法大队")], tokenHash: "h",
                        createdAt: Date(timeIntervalSince1970: 1_795_000_000)),
            AgentRecord(id: "b", unitPrefixes: [UnitPath("x")], tokenHash: "h", createdAt: Date(timeIntervalSince1970: 1_795_000_000),
                        revokedAt: Date(timeIntervalSince1970: 1_795_000_100)),
        ]
        let lines = AgentTable.render(agents, format: .table).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("b         revoked"))
        // The CREATED column (the first "2" of each row) starts at the same display column in every row.
        let createdColumn = lines.dropFirst().map { AgentTable.width(String($0.prefix { $0 != "2" })) }
        #expect(Set(createdColumn).count == 1)
        #expect(AgentTable.render(agents, format: .json).contains("\"revoked_at\""))
    }
}

/// `duty-collector bulletin|digest --output`: the one writer both programs use, so a FIFO is
/// written in place and never replaced by a regular file.
@Suite struct ReportOutputTests {
    @Test func aFIFOOutputIsWrittenInPlace() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-output-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("bulletin.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = FIFOReader(fifo)
        try ReportOutput.write("# 月度通报\n", to: fifo)
        #expect(await reader.text() == "# 月度通报\n")
        var info = stat()
        lstat(fifo, &info)
        #expect(info.st_mode & S_IFMT == S_IFIFO)
        #expect(throws: (any Error).self) { try ReportOutput.write("x", to: folder.path) }
    }
}
