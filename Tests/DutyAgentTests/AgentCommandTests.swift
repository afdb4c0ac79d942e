import ArgumentParser
import Foundation
import Shared
import Testing
@testable import DutyAgent

@Suite struct AgentCommandTests {
    @Test func commandIsNamedDutyAgent() {
        #expect(DutyAgentCommand.configuration.commandName == "duty-agent")
        let names = DutyAgentCommand.configuration.subcommands.map { $0.configuration.commandName }
        #expect(names.starts(with: ["check", "validate"]))
    }

    @Test func checkParsesItsOptions() throws {
        let parsed = try DutyAgentCommand.parseAsRoot(["check", "--config", "a.toml", "--from", "2026-11-02", "--to",
                                                       "2026-11-03", "--format", "markdown", "--lang", "en"])
        let check = try #require(parsed as? CheckCommand)
        #expect(check.options.config == "a.toml")
        #expect(check.format == .markdown && check.lang == .en)
        #expect(check.from == "2026-11-02" && check.to == "2026-11-03")
    }

    @Test func checkRejectsBadDates() {
        #expect(throws: (any Error).self) { try DutyAgentCommand.parseAsRoot(["check", "--from", "2026-11-31"]) }
        #expect(throws: (any Error).self) {
            try DutyAgentCommand.parseAsRoot(["check", "--from", "2026-11-03", "--to", "2026-11-02"])
        }
        #expect(throws: (any Error).self) { try DutyAgentCommand.parseAsRoot(["check", "--format", "pdf"]) }
    }

    @Test func checkDefaultsToTheDatesThePunchesCover() throws {
        let config = BuiltAgent.scenarios.appendingPathComponent("05-off-post/agent.toml").path
        let report = try CheckCommand.report(configPath: config, from: nil, to: nil,
                                             now: LocalDateTime("2026-12-01 00:00:00"), progress: nil)
        #expect(report.from == CivilDate("2026-11-02") && report.to == CivilDate("2026-11-04"))
        #expect(report.completeThrough == nil)
    }

    @Test func withoutToLateInstancesStayPending() throws {
        // Without --to only the readers' watermarks decide: the last night is not covered.
        let config = BuiltAgent.scenarios.appendingPathComponent("05-off-post/agent.toml").path
        let open = try CheckCommand.report(configPath: config, from: CivilDate("2026-11-02"), to: nil,
                                           now: LocalDateTime("2026-12-01 00:00:00"), progress: nil)
        let closed = try CheckCommand.report(configPath: config, from: CivilDate("2026-11-02"),
                                             to: CivilDate("2026-11-03"), now: LocalDateTime("2026-12-01 00:00:00"),
                                             progress: nil)
        #expect(closed.totals.instances.pending == 0)
        #expect(open.totals.instances.pending >= closed.totals.instances.pending)
        #expect(closed.totals[.offPost].count == 2)
    }

    @Test func officeLoadsAFileTableOfConfigRelativePaths() throws {
        let config = try AgentConfig.load(path: BuiltAgent.scenarios.appendingPathComponent("04-night-duty/agent.toml").path)
        let office = try Office.load(config)
        #expect(office.input.files.first?.hasPrefix("badges/") == true)
        #expect(office.input.files.last == "roster.csv")
        #expect(office.badgeFiles.allSatisfy { $0.punches + $0.badLines + $0.blankLines == $0.lines })
        #expect(office.punchCount == office.badgeFiles.map(\.punches).reduce(0, +))
        #expect(!office.input.roster.isEmpty)
    }

    @Test func officeReportsRosterAndLeaveRowsNamingUnknownPeopleOrShifts() throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML.replacingOccurrences(
            of: "badges = [\"badges/*.dat\"]", with: "badges = [\"badges/*.dat\"]\nroster = \"roster.csv\"\nleaves = \"leaves.csv\""))
        defer { folder.remove() }
        try folder.write("roster.csv", "date,person,shift\n2026-11-02,1001,night-duty\n2026-11-02,1001,dya\n2026-11-02,7777,day\n")
        try folder.write("leaves.csv", "person,start,end,kind\n1002,2026-11-03,2026-11-03,annual\n8888,2026-11-03,2026-11-03,annual\n")
        let office = try Office.load(AgentConfig.load(path: folder.configPath))
        #expect(office.input.roster.map(\.shift) == ["night-duty"])
        #expect(office.input.leaves.map(\.person) == ["1002"])
        let located = office.quality.map { "\($0.file ?? ""):\($0.line ?? 0)" }
        #expect(located == ["roster.csv:3", "roster.csv:4", "leaves.csv:3"])
        #expect(office.quality.allSatisfy { $0.kind == .badLine })
    }

    @Test func skewedClocksDoNotStretchTheDefaultDates() throws {
        var files = ConfigFolder.defaultFiles
        files["badges/1_attlog.dat"]! += "     1001\t2031-01-01 08:00:00\t1\t0\t1\t0\n"
        let folder = try ConfigFolder(ConfigFolder.validTOML, files: files)
        defer { folder.remove() }
        let report = try CheckCommand.report(configPath: folder.configPath, from: nil, to: nil,
                                             now: LocalDateTime("2026-11-20 12:00:00"), progress: nil)
        #expect(report.from == CivilDate("2026-11-02") && report.to == CivilDate("2026-11-02"))
        #expect(report.quality.contains { $0.kind == .clockSkew && $0.line == 2 })
        let problems = ValidateCommand.inspect(configPath: folder.configPath).problems
        #expect(problems.contains { $0.file == "badges/1_attlog.dat" && $0.line == 2 && $0.field == "time" })
    }

    @Test func localNowUsesTheSiteZone() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let noonUTC = Date(timeIntervalSince1970: 1_798_718_400)  // 2026-12-31 12:00:00 UTC
        #expect(Office.localNow(in: zone, at: noonUTC).description == "2026-12-31 20:00:00")
    }
}

/// `check` judges a bounded range: `--from 0001-01-01 --to 9999-12-31` is a clear error.
@Suite struct CheckRangeBoundTests {
    @Test func aRangeLongerThanThreeYearsIsAnError() throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML)
        defer { folder.remove() }
        do {
            _ = try CheckCommand.report(configPath: folder.configPath, from: CivilDate("0001-01-01"), to: CivilDate("9999-12-31"),
                                        now: LocalDateTime("2026-11-20 12:00:00"), progress: nil)
            Issue.record("an unbounded range was judged")
        } catch let error as InputError {
            #expect(error.field == "--from/--to" && error.message.contains("at most 1096 days"), "\(error)")
        }
        let ok = try CheckCommand.report(configPath: folder.configPath, from: CivilDate("2024-01-01"), to: CivilDate("2026-12-31"),
                                         now: LocalDateTime("2026-11-20 12:00:00"), progress: nil)
        #expect(ok.from == CivilDate("2024-01-01"))
    }
}
