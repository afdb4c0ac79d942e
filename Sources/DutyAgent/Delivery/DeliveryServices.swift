import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Scans the inputs every `interval` seconds, or at once when `wake` is poked.
struct ScannerService: Service {
    let scanner: InputScanner
    let interval: Double
    let logger: Logger
    var wake = Wake()

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing: String?
            while !Task.isCancelled {
                do {
                    let outcome = try await scanner.scan()
                    if failing != nil { logger.notice("inputs readable again") }
                    failing = nil
                    if !outcome.spooled.isEmpty {
                        logger.info("days decided", metadata: ["duty.spooled": "\(outcome.spooled.joined(separator: ", "))"])
                    }
                } catch {
                    let message = "\(error)"
                    if message != failing { logger.error("inputs not readable", metadata: ["duty.error": "\(message)"]) }
                    failing = message
                }
                await wake.wait(upTo: interval)
            }
        }
    }
}

/// Sends the spool until stopped.
struct PusherService: Service {
    let drain: SpoolDrain
    let backoff: Backoff

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await drain.forever(backoff: backoff, idle: 1)
        }
    }
}

// The service group logs each service at debug level with `String(describing:)`; the default
// description would print everything a service holds, the collector token included. A name is
// enough to tell them apart.
extension ScannerService: CustomStringConvertible {
    var description: String { "ScannerService(interval: \(interval) s)" }
}

extension PusherService: CustomStringConvertible {
    var description: String { "PusherService" }
}
