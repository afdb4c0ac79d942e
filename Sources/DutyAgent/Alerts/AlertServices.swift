import Foundation
import Logging
import ServiceLifecycle
import Shared

/// The live duty alerts of `duty-agent run`: judging every `scan_seconds` or when nudged, an input
/// watcher that nudges when a file changes, and one sender per `[[alert]]` target.
struct AlertServices: Sendable {
    let judge: DutyAlertJudge
    let senders: [AlertSender]
    /// The hook: wakes the judging at once (the ADMS receiver calls `nudge.poke()` after each
    /// durable append).
    let nudge: Wake
    /// Wakes the senders when something was queued.
    let queued: Wake
    let settings: AlertsConfig
    let configPath: String
    let logger: Logger

    /// Builds the alert side from the config at `configPath` (which must have `[[alert]]` targets).
    static func build(configPath: String, config: AgentConfig, settings: AlertsConfig, logger: Logger,
                      transport: any AlertTransport = HTTPAlertTransport(),
                      lastSeen: any ReaderLastSeen = NoReaderLastSeen(),
                      nudge: Wake = Wake()) throws -> AlertServices {
        let queue = try AlertQueue(folder: settings.queue, targets: settings.targets, logger: logger)
        let judge = DutyAlertJudge(configPath: configPath, queue: queue, settings: settings, lastSeen: lastSeen, logger: logger)
        let senders = settings.targets.map {
            AlertSender(target: $0, queue: queue, transport: transport, language: settings.language, logger: logger,
                        retryCap: Delivery.retryCap)
        }
        return AlertServices(judge: judge, senders: senders, nudge: nudge, queued: Wake(), settings: settings,
                             configPath: configPath, logger: logger)
    }

    /// The services to run in the daemon's group.
    var services: [any Service] {
        var list: [any Service] = [JudgeService(alerts: self)]
        if settings.watchSeconds > 0 { list.append(WatchService(alerts: self)) }
        for s in senders { list.append(SenderService(sender: s, wake: queued)) }
        return list
    }

    struct JudgeService: Service {
        let alerts: AlertServices

        func run() async throws {
            await cancelWhenGracefulShutdown {
                var failing: String?
                while !Task.isCancelled {
                    do {
                        if try await alerts.judge.judge() > 0 { alerts.queued.poke() }
                        failing = nil
                    } catch {
                        let message = "\(error)"
                        if message != failing {
                            alerts.logger.error("alert judging failed", metadata: ["duty.error": "\(message)"])
                        }
                        failing = message
                    }
                    await alerts.nudge.wait(upTo: Double(alerts.settings.scanSeconds))
                }
            }
        }
    }

    /// Looks at the input files' sizes and times every `watch_seconds` and nudges on a change
    /// (`stat` only: the config is parsed again only when it may have changed).
    struct WatchService: Service {
        let alerts: AlertServices

        func run() async throws {
            await cancelWhenGracefulShutdown {
                var cache = ConfigCache(path: alerts.configPath)
                var last = DutyAlertJudge.stamps(&cache)
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(alerts.settings.watchSeconds)) } catch { return }
                    let now = DutyAlertJudge.stamps(&cache)
                    if now != last {
                        last = now
                        alerts.nudge.poke()
                    }
                }
            }
        }
    }

    struct SenderService: Service {
        let sender: AlertSender
        let wake: Wake

        func run() async throws {
            await cancelWhenGracefulShutdown {
                await sender.forever(idle: 5, wake: wake)
            }
        }
    }
}

// Named, not dumped, in the service group's debug log: a target's URL carries the robot's
// `access_token` or `key`, which is its password.
extension AlertServices.JudgeService: CustomStringConvertible {
    var description: String { "alert judging (every \(alerts.settings.scanSeconds) s)" }
}

extension AlertServices.WatchService: CustomStringConvertible {
    var description: String { "alert input watcher (every \(alerts.settings.watchSeconds) s)" }
}

extension AlertServices.SenderService: CustomStringConvertible {
    var description: String { "alert sender (\(sender.target.kind))" }
}
