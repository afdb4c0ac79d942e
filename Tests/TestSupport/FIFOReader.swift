import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a FIFO to its end on a thread of its own, started at once (a blocking open or read on the
/// two-thread cooperative pool could starve the writer), opened non-blocking so a writer that never
/// comes ends the wait after `seconds` instead of hanging the run.
public final class FIFOReader: @unchecked Sendable {
    private let lock = NSLock()
    private var result: String?
    private var waiter: CheckedContinuation<String, Never>?

    public init(_ path: String, seconds: Double = 60) {
        Thread.detachNewThread { [self] in finish(Self.read(path, seconds: seconds)) }
    }

    /// Everything read, once the writer closed (or the time ran out).
    public func text() async -> String {
        await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> String? in
                if result == nil { waiter = continuation }
                return result
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func finish(_ text: String) {
        let waiting = lock.withLock { () -> CheckedContinuation<String, Never>? in
            result = text
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: text)
    }

    private static func read(_ path: String, seconds: Double) -> String {
        var bytes: [UInt8] = []
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n > 0 { bytes += chunk[..<n] } else if n == 0, p.revents & Int16(POLLHUP) != 0 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
