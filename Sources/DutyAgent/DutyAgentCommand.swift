import ArgumentParser
import Shared

/// `duty-agent`: the office agent's command line.
@main
struct DutyAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duty-agent",
        abstract: "DutyWatch office agent: finds attendance anomalies in the badge readers' files.",
        version: "duty-agent " + BuildInfo.versionLine,
        subcommands: [CheckCommand.self, ValidateCommand.self, InitCommand.self, RunCommand.self, PushCommand.self, StatusCommand.self])
}
