import ArgumentParser
import ConfigSupport
import Foundation

/// `duty-collector validate [--config F]`: checks the config file and the `DUTY_COLLECTOR_*`
/// environment as `serve` would read them, and the TLS files they name, and prints every problem
/// as `file:line: key: message`, then a summary; exit 1 on any problem. It opens no database and
/// no port.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the config and the environment; print every problem with its file, line and key.",
        discussion: """
            Reads the config file (if any) and the DUTY_COLLECTOR_* variables as `serve` does, reads \
            the TLS certificate and key they name, and applies serve's rule on plain HTTP. Every \
            problem is printed as file:line: key: message (variables as environment: NAME: message), \
            then a summary; the exit status is 1 when there is any problem. The database is not \
            opened. Every key is documented in docs/collector.md.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let result = Self.inspect(configPath: options.config)
        for p in result.problems { print(p.description) }
        print(result.summary)
        if !result.problems.isEmpty { throw ExitCode.failure }
    }

    /// The problems found and a one-line summary.
    struct Result: Sendable {
        var problems: [ConfigError]
        var summary: String
    }

    /// Every problem of the configuration at `configPath` (nil: defaults) with `environment`.
    static func inspect(configPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> Result
    {
        let (config, problems) = CollectorConfig.check(path: configPath, environment: environment,
                                                       currentDirectory: currentDirectory)
        guard let config else {
            return Result(problems: problems, summary: "\(count(problems.count)) in the configuration")
        }
        var found: [ConfigError] = []
        if let tls = config.server.tls {
            do {
                _ = try ServerSetup.tlsConfiguration(tls, file: config.file)
            } catch let error as ConfigError {
                found.append(error)
            } catch {
                found.append(ConfigError(file: config.file ?? "configuration", key: "server.tls_cert", message: "\(error)"))
            }
        }
        if let problem = ServerSetup.plainHTTPProblem(config.server, file: config.file) { found.append(problem) }
        guard found.isEmpty else {
            return Result(problems: LocatedErrors.sorted(found), summary: "\(count(found.count)) in the configuration")
        }
        let scheme = config.server.tls == nil ? "http" : "https"
        let reviewers = config.reviewers.count == 1 ? "1 reviewer" : "\(config.reviewers.count) reviewers"
        let admin = config.adminTokenHash == nil ? "no admin token (the admin API refuses everyone)" : "an admin token"
        return Result(problems: [], summary: "no problems; \(config.file ?? "no config file (defaults)"): "
            + "\(scheme)://\(config.server.host):\(config.server.port), database \(config.database), \(reviewers), \(admin)")
    }

    private static func count(_ n: Int) -> String { n == 1 ? "1 problem" : "\(n) problems" }
}
