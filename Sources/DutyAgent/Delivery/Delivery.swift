import ArgumentParser
import Foundation
import Logging
import Shared

/// The delivery side of the agent wired from its config: spool, scanner and sender. `run`, `push`
/// and the tests build it the same way.
struct Delivery: Sendable {
    var config: AgentConfig
    var collector: CollectorConfig
    var spool: Spool
    var scanner: InputScanner
    var sender: SummarySender

    /// `build` for a command line: a config or spool problem is printed as `error: …` and the
    /// command exits 1.
    static func buildForCommand(configPath: String, logger: Logger) throws -> Delivery {
        do {
            return try build(configPath: configPath, logger: logger)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Builds the delivery for the config at `configPath`; reads `[collector]` (`url`, `token_file`,
    /// `spool`, `spool_max_mb`, `settle_minutes`, `scan_seconds`) and the environment variable
    /// `DUTY_AGENT_TOKEN`. Takes the spool's lock: one process at a time.
    static func build(configPath: String, logger: Logger,
                      transport: (any SummaryTransport)? = nil) throws -> Delivery {
        let config = try AgentConfig.load(path: configPath)
        guard let collector = config.collector else {
            throw InputError(file: configPath, field: "collector",
                             message: "no [collector] section: give url (and token_file or DUTY_AGENT_TOKEN) to push day summaries")
        }
        var logger = logger
        logger[metadataKey: "duty.agent"] = "\(config.site.id)"
        let spool = try Spool(folder: collector.spool, maxBytes: Int64(collector.spoolMaxMB) * 1024 * 1024, logger: logger)
        let sender = SummarySender(spool: spool, transport: transport ?? HTTPSummaryTransport(collector: collector.url, tls: collector.tls),
                                   tokens: TokenSource(file: collector.tokenFile), logger: logger)
        return Delivery(config: config, collector: collector, spool: spool,
                        scanner: InputScanner(configPath: configPath, spool: spool, logger: logger), sender: sender)
    }

    /// Logging to standard error, level from `DUTY_AGENT_LOG_LEVEL` (default info).
    static func bootstrapLogging() -> Logger {
        let level = ProcessInfo.processInfo.environment["DUTY_AGENT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "duty-agent")
    }

    /// The longest wait between retries of the daemon, in seconds: 300, or `DUTY_AGENT_RETRY_CAP_SECONDS`.
    static var retryCap: Double {
        ProcessInfo.processInfo.environment["DUTY_AGENT_RETRY_CAP_SECONDS"].flatMap(Double.init) ?? 300
    }
}
