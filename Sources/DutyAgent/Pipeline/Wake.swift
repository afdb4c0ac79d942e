import Foundation

/// Ends a loop's wait before its timer: the one wake-up of the daemon. The ADMS receiver pokes the
/// day scanner's and the alert judging's after each durable append; the input watcher pokes the
/// judging's when a badge file changes; the judging pokes the senders' when it queued alerts.
/// A poke while nobody waits is kept for the next wait (once: many pokes give one early return).
final class Wake: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    /// Waits whose timer or cancellation came before they were registered.
    private var ended: Set<Int> = []
    private var counter = 0

    init() {}

    /// Wakes every waiting loop now, or the next wait when none waits. Returns at once; safe from
    /// any thread or task.
    func poke() {
        lock.lock()
        if waiters.isEmpty {
            pending = true
            lock.unlock()
            return
        }
        let all = waiters
        waiters = [:]
        lock.unlock()
        for c in all.values { c.resume(returning: true) }
    }

    /// Returns after `seconds`, or earlier when poked (or cancelled); at once when a poke is pending.
    /// Returns whether a poke ended it (false: its time ran out or its task was cancelled).
    @discardableResult
    func wait(upTo seconds: Double) async -> Bool {
        let id: Int? = lock.withLock {
            if pending {
                pending = false
                return nil
            }
            counter += 1
            return counter
        }
        guard let id else { return true }
        let timer = Task { [self] in
            do { try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000))) } catch { return }
            end(id)
        }
        let poked = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let now: Bool? = lock.withLock {
                    if ended.remove(id) != nil { return false }
                    if pending {
                        pending = false
                        return true
                    }
                    waiters[id] = c
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        } onCancel: {
            end(id)
        }
        timer.cancel()
        lock.withLock { _ = ended.remove(id) }
        return poked
    }

    /// Ends wait `id` (its timer ran out or its task was cancelled).
    private func end(_ id: Int) {
        let c: CheckedContinuation<Bool, Never>? = lock.withLock {
            if let c = waiters.removeValue(forKey: id) { return c }
            ended.insert(id)
            return nil
        }
        c?.resume(returning: false)
    }
}
