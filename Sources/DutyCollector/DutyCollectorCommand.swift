import ArgumentParser

/// `duty-collector`: the organisation's collector of day summaries.
@main
struct DutyCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duty-collector", abstract: "DutyWatch collector: receives agents' day summaries, serves HR.",
        subcommands: [
            ServeCommand.self, AgentsCommand.self, UsersCommand.self, ReviewersCommand.self, DigestCommand.self, BulletinCommand.self,
            ValidateCommand.self,
        ])
}
