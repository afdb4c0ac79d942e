import Foundation

/// The growing delay after failed sign-ins (DESIGN: "growing delays after failed sign-ins per
/// account and per address").
///
/// Failures count over the last `window`. An account may fail `freeAccountFailures` times, then
/// must wait 5 s, 10 s, 20 s … (at most 15 min) after its latest failure; a success resets it.
/// An address (an office shares one behind its NAT) may fail `freeAddressFailures` times across all
/// accounts before the same delays apply to it. A refused attempt checks no password and does not
/// lengthen the wait.
enum SignInThrottle {
    static let window: TimeInterval = 15 * 60
    static let freeAccountFailures = 3
    static let freeAddressFailures = 10
    static let firstDelay = 5
    static let longestDelay = 15 * 60

    /// Seconds to wait before the next attempt may be checked; 0 when it may be checked now.
    static func wait(_ failures: SignInFailures, now: Date) -> Int {
        max(wait(count: failures.account, free: freeAccountFailures, last: failures.lastForAccount, now: now),
            wait(count: failures.address, free: freeAddressFailures, last: failures.lastForAddress, now: now))
    }

    /// The delay after the `count`-th failure: 0 up to `free`, then doubling from `firstDelay`.
    static func delay(afterFailures count: Int, free: Int) -> Int {
        guard count >= free else { return 0 }
        let doublings = min(count - free, 20)
        return min(firstDelay << doublings, longestDelay)
    }

    private static func wait(count: Int, free: Int, last: Date?, now: Date) -> Int {
        guard let last else { return 0 }
        let until = last.addingTimeInterval(Double(delay(afterFailures: count, free: free)))
        return max(0, Int(until.timeIntervalSince(now).rounded(.up)))
    }
}
