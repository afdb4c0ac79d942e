#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Receives progress of a long run (files read, punches so far); the pipeline never prints itself.
protocol ProgressReporter: Sendable {
    /// A new state of the run, replacing the previous one.
    func update(_ message: String)
    /// The run is over; clear whatever was shown.
    func finish()
}

/// Progress on standard error, rewritten in place, at most a few times a second and only once a
/// run has taken half a second; only when
/// standard error is a terminal (`make()` returns nil otherwise, so piped runs stay quiet).
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?
    private var width = 0
    private let started = ContinuousClock.now

    private init() {}

    /// A reporter when standard error is a terminal, else nil.
    static func make() -> TerminalProgress? {
        isatty(2) != 0 ? TerminalProgress() : nil
    }

    func update(_ message: String) {
        lock.withLock {
            let now = ContinuousClock.now
            // Short runs show nothing.
            guard now - started >= .milliseconds(500) else { return }
            if let last, now - last < .milliseconds(200) { return }
            last = now
            let pad = String(repeating: " ", count: max(0, width - message.count))
            FileHandle.standardError.write(Data(("\r" + message + pad).utf8))
            width = message.count
        }
    }

    func finish() {
        lock.withLock {
            guard width > 0 else { return }
            FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
            width = 0
        }
    }
}
