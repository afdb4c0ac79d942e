import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared

/// `duty-agent run`: the daemon. A scanner decides days as their data completes and spools their
/// summaries; a pusher sends the spool; with `[[alert]]` targets, duty instances in progress are
/// judged live and alerts queued and sent (without `[collector]`, alerts only). All stop
/// gracefully on SIGTERM and SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the inputs, decide days, and push their summaries until stopped.",
        discussion: """
            Every scan_seconds the inputs are read again if any file changed; a date is decided when
            every reader has reported past its windows or settle_minutes after its last window. A date
            already sent that changes (a late file, a new leave) is sent again as a new revision.
            Retries back off up to 5 minutes (DUTY_AGENT_RETRY_CAP_SECONDS) and never give up.
            With [[alert]] targets, duty instances in progress are judged every [alerts] scan_seconds
            and when an input changes, and alerts are queued on disk and sent (docs/alerts.md);
            without [collector], the agent sends alerts only.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let logger = Delivery.bootstrapLogging()
        let config: AgentConfig
        do { config = try AgentConfig.load(path: options.config) } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var metadata: Logger.Metadata = ["duty.file": "\(options.config)"]
        // An office may want live alerts only: without [collector] but with [[alert]], no summary is pushed.
        if config.collector != nil || config.alerts?.targets.isEmpty ?? true {
            let delivery = try Delivery.buildForCommand(configPath: options.config, logger: logger)
            let scanner = ScannerService(scanner: delivery.scanner, interval: Double(max(1, delivery.collector.scanSeconds)),
                                         logger: logger)
            let pusher = PusherService(drain: SpoolDrain(sender: delivery.sender),
                                       backoff: Backoff(base: 1, cap: Delivery.retryCap))
            services += [.init(service: scanner), .init(service: pusher)]
            metadata["duty.collector"] = "\(delivery.collector.url)"
        }
        if let settings = config.alerts, !settings.targets.isEmpty {
            var alertLogger = logger
            alertLogger[metadataKey: "duty.agent"] = "\(config.site.id)"
            let alerts: AlertServices
            do {
                alerts = try AlertServices.build(configPath: options.config, config: config, settings: settings,
                                                 logger: alertLogger)
            } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
            services += alerts.services.map { .init(service: $0) }
            metadata["duty.alert.targets"] = "\(settings.targets.count)"
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("agent started", metadata: metadata)
        try await group.run()
        logger.info("agent stopped")
    }
}
