import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared

/// `duty-agent run`: the daemon. A scanner decides days as their data completes and spools their
/// summaries; a pusher sends the spool; with `[[alert]]` targets, duty instances in progress are
/// judged live and alerts queued and sent; with `[adms]`, the receiver of readers that push. All stop
/// gracefully on SIGTERM and SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the inputs, decide days, push their summaries, send duty alerts and receive pushed punches until stopped.",
        discussion: """
            Every scan_seconds the lines appended to the badge files are read (a replaced or truncated
            file is read again whole, the other inputs whenever they change) and the dates they can
            change are judged again; a date is decided when
            every reader has reported past its windows or settle_minutes after its last window. A date
            already sent that changes (a late file, a new leave) is sent again as a new revision.
            Retries back off up to 5 minutes (DUTY_AGENT_RETRY_CAP_SECONDS) and never give up.
            With [[alert]] targets, duty instances in progress are judged every [alerts] scan_seconds,
            when an input changes and when a reader pushes a punch, and alerts are queued on disk and
            sent (docs/alerts.md). With [adms], ZKTeco readers in push mode are received on its listen
            address (docs/adms.md). Without [collector], no summary is pushed: the agent only sends
            alerts and receives readers.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let logger = Delivery.bootstrapLogging()
        let config: AgentConfig
        do { config = try AgentConfig.load(path: options.config) } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        for warning in config.warnings {
            logger.warning("config key without effect", metadata: ["duty.warning": "\(warning)"])
        }
        let alertSettings = config.alerts.flatMap { $0.targets.isEmpty ? nil : $0 }
        guard config.collector != nil || config.adms != nil || alertSettings != nil else {
            printError("error: \(options.config): no [collector], no [[alert]] and no [adms]: there is nothing to run "
                       + "(give [collector] to push day summaries, [[alert]] to send live duty alerts, "
                       + "[adms] to receive readers that push)")
            throw ExitCode.failure
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var metadata: Logger.Metadata = ["duty.file": "\(options.config)"]
        let wake = Wake()
        let alertNudge = Wake()
        if config.collector != nil {
            let delivery = try Delivery.buildForCommand(configPath: options.config, logger: logger)
            let scanner = ScannerService(scanner: delivery.scanner, interval: Double(max(1, delivery.collector.scanSeconds)),
                                         logger: logger, wake: wake)
            let pusher = PusherService(drain: SpoolDrain(sender: delivery.sender),
                                       backoff: Backoff(base: 1, cap: Delivery.retryCap))
            services += [.init(service: scanner), .init(service: pusher)]
            metadata["duty.collector"] = "\(delivery.collector.url)"
        }
        var receiver: ADMSReceiver?
        if let adms = config.adms {
            do {
                receiver = try ADMSReceiver(config: adms, zone: config.site.timeZone, logger: logger,
                                            onDurableAppend: { _ in
                                                // A pushed punch is judged at once: the day scanner and the live alerts.
                                                wake.poke()
                                                alertNudge.poke()
                                            })
            } catch {
                printError("error: \(options.config): [adms] journal \(adms.journal.path): \(error)")
                throw ExitCode.failure
            }
            services.append(.init(service: ADMSServer.application(receiver: receiver!, config: adms, logger: logger)))
            metadata["duty.adms.listen"] = "\(adms.host):\(adms.port)"
        }
        if let settings = alertSettings {
            var alertLogger = logger
            alertLogger[metadataKey: "duty.agent"] = "\(config.site.id)"
            let alerts: AlertServices
            do {
                alerts = try AlertServices.build(configPath: options.config, config: config, settings: settings,
                                                 logger: alertLogger,
                                                 lastSeen: receiver.map { $0 as any ReaderLastSeen } ?? NoReaderLastSeen(),
                                                 nudge: alertNudge)
            } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
            services += alerts.services.map { .init(service: $0) }
            metadata["duty.alert.targets"] = "\(settings.targets.count)"
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        logger.info(config.collector == nil ? "agent started without [collector]: no summary is pushed" : "agent started",
                    metadata: metadata)
        try await group.run()
        logger.info("agent stopped")
    }
}

/// The receiver knows when each reader last called: the live alerts ask it for `reader_offline`.
extension ADMSReceiver: ReaderLastSeen {
    /// A reader with several devices is offline when the last of them is: the longest limit.
    func offlineLimits() async -> [String: TimeInterval] {
        var out: [String: TimeInterval] = [:]
        for device in config.devices { out[device.reader] = max(out[device.reader] ?? 0, config.offlineLimit(device)) }
        return out
    }
}
