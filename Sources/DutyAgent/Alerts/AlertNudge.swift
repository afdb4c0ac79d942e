/// Wakes a waiting loop before its timer: the hook by which the duty judging runs at once when a
/// punch arrives (the ADMS receiver calls `nudge()` after each durable append; the input watcher
/// calls it when a badge file changes). A nudge while nobody waits is kept for the next wait.
actor AlertNudge {
    private var pending = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var counter = 0

    init() {}

    /// Wakes the loop now (or at its next wait). Safe from any thread or task; returns at once.
    nonisolated func nudge() {
        Task { await self.fire() }
    }

    /// Returns after `seconds`, or earlier when nudged (or cancelled).
    func wait(upTo seconds: Double) async {
        if pending {
            pending = false
            return
        }
        counter += 1
        let id = counter
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                waiters[id] = c
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
                    self.resume(id)
                }
            }
        } onCancel: {
            Task { await self.resume(id) }
        }
    }

    private func fire() {
        if waiters.isEmpty {
            pending = true
            return
        }
        let all = waiters
        waiters = [:]
        for c in all.values { c.resume() }
    }

    private func resume(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
