import ArgumentParser

@main
struct DutyAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duty-agent", abstract: "DutyWatch office agent.")
}
