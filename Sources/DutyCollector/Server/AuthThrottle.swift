import Foundation
import Logging

/// Slows repeated failed authentication from one client address: after `maxFailures` failures
/// within `window`, the address is refused (429 with `Retry-After`) until `lockout` has passed
/// since its last failure, without its credentials being looked at. Other addresses are not
/// affected. It knows nothing of tokens: the API's bearer tokens use it, and so can a sign-in form.
///
/// A 256-bit token cannot be guessed, but every guess costs a database lookup, and a log full of
/// them hides the one that matters: the first failure of a burst past the limit is reported (once
/// per burst, by the caller), the rest are counted quietly. The table is bounded
/// (`maxAddresses`; the stalest entries go first), so many addresses cannot exhaust memory.
actor AuthThrottle {
    /// The limits.
    struct Policy: Sendable, Equatable {
        /// Failures within `window` that block the address.
        var maxFailures = 5
        var window: TimeInterval = 60
        /// How long a blocked address stays blocked after its last failure.
        var lockout: TimeInterval = 60
        /// The most addresses remembered at once.
        var maxAddresses = 10_000
    }

    /// What a failure did.
    enum Verdict: Equatable, Sendable {
        /// Counted; the address may try again.
        case counted
        /// This failure blocked the address: the start of a burst, to be logged.
        case blocked(retryAfter: Int)
    }

    private struct Record {
        var failures: [Date] = []
        var blockedUntil: Date?
        var lastSeen: Date
    }

    let policy: Policy
    private var records: [String: Record] = [:]

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// The seconds `address` must wait, or nil when it may try.
    func retryAfter(_ address: String, now: Date) -> Int? {
        guard let until = records[address]?.blockedUntil, until > now else { return nil }
        return Self.seconds(until.timeIntervalSince(now))
    }

    /// Records a failed authentication from `address`.
    func failed(_ address: String, now: Date) -> Verdict {
        var record = records[address] ?? Record(lastSeen: now)
        record.lastSeen = now
        record.failures = record.failures.filter { now.timeIntervalSince($0) < policy.window } + [now]
        var verdict = Verdict.counted
        if record.failures.count >= policy.maxFailures {
            let wasBlocked = record.blockedUntil.map { $0 > now } ?? false
            record.blockedUntil = now.addingTimeInterval(policy.lockout)
            if !wasBlocked { verdict = .blocked(retryAfter: Self.seconds(policy.lockout)) }
        }
        records[address] = record
        if records.count > policy.maxAddresses { prune(now: now) }
        return verdict
    }

    /// How many addresses are remembered (for tests).
    var count: Int { records.count }

    /// Drops what no longer matters, then the stalest addresses down to 90% of the bound.
    private func prune(now: Date) {
        records = records.filter { _, r in
            (r.blockedUntil.map { $0 > now } ?? false) || r.failures.contains { now.timeIntervalSince($0) < policy.window }
        }
        let keep = policy.maxAddresses * 9 / 10
        if records.count > keep {
            let stalest = records.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(records.count - keep)
            for (address, _) in stalest { records[address] = nil }
        }
    }

    private static func seconds(_ interval: TimeInterval) -> Int { max(1, Int(interval.rounded(.up))) }
}

extension AuthThrottle {
    /// Throws 429 `too_many_attempts` with `Retry-After` while `address` is slowed. Call before
    /// looking at its credentials (a bearer token, a sign-in form's password).
    func check(_ address: String, now: Date) throws(APIError) {
        if let wait = retryAfter(address, now: now) { throw APIError.tooManyAttempts(retryAfter: wait) }
    }

    /// Counts a failed authentication from `address`; the failure that slows it is logged as a
    /// warning (once per burst).
    func fail(_ address: String, now: Date, logger: Logger) {
        if case .blocked(let wait) = failed(address, now: now) {
            logger.warning(
                "repeated failed authentication: address slowed",
                metadata: ["duty.client": .string(address), "duty.failures": .stringConvertible(policy.maxFailures),
                           "duty.retry_after_s": .stringConvertible(wait)])
        }
    }
}
