import ArgumentParser

@main
struct DutyCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duty-collector", abstract: "DutyWatch collector.")
}
