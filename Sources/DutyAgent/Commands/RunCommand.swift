import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared

/// `duty-agent run`: the daemon. A scanner decides days as their data completes and spools their
/// summaries; a pusher sends the spool. Both stop gracefully on SIGTERM and SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the inputs, decide days, and push their summaries until stopped.",
        discussion: """
            Every scan_seconds the lines appended to the badge files are read (a replaced or truncated
            file is read again whole, the other inputs whenever they change) and the dates they can
            change are judged again; a date is decided when
            every reader has reported past its windows or settle_minutes after its last window. A date
            already sent that changes (a late file, a new leave) is sent again as a new revision.
            Retries back off up to 5 minutes (DUTY_AGENT_RETRY_CAP_SECONDS) and never give up.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let logger = Delivery.bootstrapLogging()
        let delivery = try Delivery.buildForCommand(configPath: options.config, logger: logger)
        let scanner = ScannerService(scanner: delivery.scanner, interval: Double(max(1, delivery.collector.scanSeconds)),
                                     logger: logger)
        let pusher = PusherService(drain: SpoolDrain(sender: delivery.sender),
                                   backoff: Backoff(base: 1, cap: Delivery.retryCap))
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: scanner), .init(service: pusher)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("agent started", metadata: ["duty.file": "\(options.config)",
                                                "duty.collector": "\(delivery.collector.url)"])
        try await group.run()
        logger.info("agent stopped")
    }
}
