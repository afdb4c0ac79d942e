import ArgumentParser
import Foundation
import Shared

/// `duty-collector agents add|list|revoke`: agents' tokens, bound to unit prefixes.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "Issue, list and revoke agents' tokens.",
        subcommands: [Add.self, List.self, Revoke.self])

    /// `agents add --id ID --units PREFIX...`: prints the new token once on standard output.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an agent; print its token once (only its SHA-256 is stored).")

        @Option(help: "The agent's id (its site.id).") var id: String
        @Option(parsing: .upToNextOption, help: "Unit prefixes the agent may report on (市场监管局/执法大队 …).")
        var units: [String] = []
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let registration: AgentRegistration
            do {
                registration = try AgentRegistration(id: self.id, units: units)
            } catch {
                switch error {
                case .missingID: throw ValidationError("--id is empty")
                case .invalidID: throw ValidationError("--id must be at most 128 characters without spaces or slashes")
                case .noUnits: throw ValidationError("--units is missing: at least one unit prefix")
                case .emptyUnit(let i): throw ValidationError("--units: the unit prefix number \(i + 1) is empty")
                case .invalidUnit(let i, let problem):
                    throw ValidationError("--units: the unit prefix number \(i + 1) \(problem)")
                }
            }
            let (agentID, prefixes) = (registration.id, registration.units)
            let config = try options.load()
            let token = TokenHash.generate()
            let record = AgentRecord(id: agentID, unitPrefixes: prefixes, tokenHash: TokenHash.of(token), createdAt: Date())
            try await withStore(config: config) { try await $0.addAgent(record) }
            print(token)
            FileHandle.standardError.write(Data("""
                agent \(agentID) added for \(prefixes.map(\.description).joined(separator: ", ")) in \(config.database)
                The token was written once to standard output: put it in the agent's token_file (or DUTY_AGENT_TOKEN).

                """.utf8))
        }
    }

    /// `agents list [--format table|json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents with their units and last contact.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
        @Option(help: "table or json.") var format: Format = .table
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            let agents = try await withStore(config: config) { try await $0.agents() }
            print(AgentTable.render(agents, format: format == .json ? .json : .table), terminator: "")
        }
    }

    /// `agents revoke --id ID`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an agent's token; its data stays.")

        @Option(help: "The agent's id.") var id: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.load()
            let found = try await withStore(config: config) { try await $0.revokeAgent(id: id, at: Date()) }
            guard found else { throw CommandFailure("no agent has the id \(id) in \(config.database)") }
            print("agent \(id) revoked")
        }
    }
}

/// A command that could not do its job; printed as `Error: <message>`, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
