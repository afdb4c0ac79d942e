import Foundation
import Logging

/// Sends what waits in the spool in date order: the earliest date first, and a later date only
/// once the earlier one is delivered, set aside or found corrupt.
struct SpoolDrain: Sendable {
    /// What one pass achieved.
    struct Report: Equatable, Sendable {
        var delivered = 0
        var setAside: [String] = []
        var corrupt = 0
        /// Summaries still waiting when the pass ended.
        var left = 0
        /// Why the pass stopped before the spool was empty.
        var stoppedBecause: String?
    }

    let sender: SummarySender
    /// Waits this many seconds; throws when cancelled.
    var sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }

    /// One pass (`duty-agent push`): each summary is tried up to `attempts` times with `backoff`
    /// between tries; the pass stops at the first summary that still cannot be delivered.
    func once(attempts: Int, backoff: Backoff) async -> Report {
        var report = Report()
        var backoff = backoff
        var tries = 0
        while let item = await sender.spool.pending().first {
            switch await sender.attempt(item) {
            case .delivered:
                report.delivered += 1
                tries = 0
                backoff.reset()
            case .setAside(let reason):
                report.setAside.append(reason)
                tries = 0
            case .corrupt:
                report.corrupt += 1
            case .blocked(let reason):
                report.stoppedBecause = reason
            case .retry(let retryAfter, let reason):
                tries += 1
                if tries >= attempts {
                    report.stoppedBecause = reason
                } else {
                    do { try await sleep(backoff.next(retryAfter: retryAfter)) } catch { report.stoppedBecause = "cancelled" }
                }
            }
            if report.stoppedBecause != nil { break }
        }
        report.left = await sender.spool.pending().count
        return report
    }

    /// Sends until cancelled (`duty-agent run`): waits `idle` seconds when nothing waits, backs off
    /// forever on network errors, 5xx, 408 and 429, and while the token is refused waits until the
    /// token (file or environment) changes.
    func forever(backoff: Backoff, idle: Double) async {
        var backoff = backoff
        var refusedToken: String?
        while !Task.isCancelled {
            if let refused = refusedToken {
                if (try? sender.tokens.token()) == refused || (try? sender.tokens.token()) == nil {
                    if (try? await sleep(idle)) == nil { return }
                    continue
                }
                refusedToken = nil
                await sender.spool.noteBlocked(nil)
                sender.logger.notice("token changed; sending again")
            }
            guard let item = await sender.spool.pending().first else {
                if (try? await sleep(idle)) == nil { return }
                continue
            }
            switch await sender.attempt(item) {
            case .delivered, .setAside, .corrupt:
                backoff.reset()
            case .blocked(let reason):
                refusedToken = (try? sender.tokens.token()) ?? ""
                sender.logger.error("sending stopped", metadata: ["duty.reason": "\(reason)"])
            case .retry(let retryAfter, _):
                if (try? await sleep(backoff.next(retryAfter: retryAfter))) == nil { return }
            }
        }
    }
}
