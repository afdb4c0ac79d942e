import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared

/// `duty-agent run`: the daemon. A scanner decides days as their data completes and spools their
/// summaries; a pusher sends the spool; with `[adms]`, the receiver of readers that push. All stop
/// gracefully on SIGTERM and SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the inputs, decide days, push their summaries and receive pushed punches until stopped.",
        discussion: """
            Every scan_seconds the inputs are read again if any file changed; a date is decided when
            every reader has reported past its windows or settle_minutes after its last window. A date
            already sent that changes (a late file, a new leave) is sent again as a new revision.
            Retries back off up to 5 minutes (DUTY_AGENT_RETRY_CAP_SECONDS) and never give up.
            With [adms], ZKTeco readers in push mode are received on its listen address (see docs/adms.md);
            an agent with [adms] and no [collector] only receives.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let logger = Delivery.bootstrapLogging()
        let config: AgentConfig
        do { config = try AgentConfig.load(path: options.config) } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        guard config.collector != nil || config.adms != nil else {
            printError("error: \(options.config): no [collector] and no [adms]: there is nothing to run "
                       + "(give [collector] to push day summaries, [adms] to receive readers that push)")
            throw ExitCode.failure
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let wake = ScanWake()
        if config.collector != nil {
            let delivery = try Delivery.buildForCommand(configPath: options.config, logger: logger)
            let scanner = ScannerService(scanner: delivery.scanner, interval: Double(max(1, delivery.collector.scanSeconds)),
                                         logger: logger, wake: wake)
            let pusher = PusherService(drain: SpoolDrain(sender: delivery.sender),
                                       backoff: Backoff(base: 1, cap: Delivery.retryCap))
            services += [.init(service: scanner), .init(service: pusher)]
            logger.info("agent started", metadata: ["duty.file": "\(options.config)",
                                                    "duty.collector": "\(delivery.collector.url)"])
        } else {
            logger.info("agent started without [collector]: receiving only", metadata: ["duty.file": "\(options.config)"])
        }
        if let adms = config.adms {
            let receiver: ADMSReceiver
            do {
                receiver = try ADMSReceiver(config: adms, zone: config.site.timeZone, logger: logger,
                                            onDurableAppend: { _ in await wake.poke() })
            } catch {
                printError("error: \(options.config): [adms] journal \(adms.journal.path): \(error)")
                throw ExitCode.failure
            }
            services.append(.init(service: ADMSServer.application(receiver: receiver, config: adms, logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
        logger.info("agent stopped")
    }
}
