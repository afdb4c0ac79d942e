import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Asks the scanner for a scan now rather than at the end of its interval (a reader that pushes
/// stored new punches).
actor ScanWake {
    private var pending = false
    func poke() { pending = true }
    /// Whether a scan was asked for since the last call.
    func take() -> Bool {
        defer { pending = false }
        return pending
    }
}

/// Scans the inputs every `interval` seconds, or at once when `wake` is poked.
struct ScannerService: Service {
    let scanner: InputScanner
    let interval: Double
    let logger: Logger
    var wake = ScanWake()

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
                var waited = 0.0
                while waited < interval {
                    if await wake.take() { break }
                    let step = min(0.2, interval - waited)
                    do { try await Task.sleep(for: .seconds(step)) } catch { return }
                    waited += step
                }
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
