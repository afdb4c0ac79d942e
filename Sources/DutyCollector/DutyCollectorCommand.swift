import ArgumentParser
import Shared

/// `duty-collector`: the organisation's collector of day summaries.
@main
struct DutyCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duty-collector", abstract: "DutyWatch collector: receives agents' day summaries, serves HR.",
        discussion: """
            Every command takes --config FILE (collector.toml) and reads the DUTY_COLLECTOR_* \
            variables after it; every key and variable is described in docs/collector.md. \
            `duty-collector validate --config FILE` lists every problem of a config before `serve` runs it.
            """,
        version: "duty-collector " + BuildInfo.versionLine,
        subcommands: [
            ServeCommand.self, AgentsCommand.self, UsersCommand.self, ReviewersCommand.self, DigestCommand.self, BulletinCommand.self,
            ValidateCommand.self,
        ])
}
