import ArgumentParser
import Foundation

/// `duty-collector reviewers token --name NAME`: makes an HR reviewer's token.
///
/// Reviewers live in the config (`[[reviewer]] name, token_hash`), not in the database: the
/// command prints the token once on standard output and the lines to add to `collector.toml`
/// on standard error.
struct ReviewersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviewers", abstract: "Make tokens for HR reviewers.", subcommands: [Token.self])

    /// `reviewers token --name NAME`.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new reviewer token once, and the [[reviewer]] lines with its hash for collector.toml.")

        @Option(help: "The reviewer's name, recorded with each decision.") var name: String

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name must not be empty") }
        }

        func run() async throws {
            let token = TokenHash.generate()
            print(token)
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            FileHandle.standardError.write(Data("""
                Add to collector.toml and restart the collector (the token above is shown once):

                [[reviewer]]
                name = "\(escaped)"
                token_hash = "\(TokenHash.of(token))"

                """.utf8))
        }
    }
}
