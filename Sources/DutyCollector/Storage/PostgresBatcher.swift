import Foundation

/// Groups the summaries that arrive while others are being stored into shared transactions
/// (group commit), with at most `maxRunning` transactions at once: under load one commit carries
/// many summaries; alone, a summary is stored at once. Each is acknowledged after its commit.
actor PostgresBatcher {
    /// Stores a batch in one transaction (retried there on transient failures); outcomes in order.
    typealias Store = @Sendable ([PreparedSummary]) async throws -> [StoreOutcome]

    private var queue: [(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)] = []
    private var running = 0
    private let maxRunning: Int
    private let maxBatch: Int
    private let storeBatch: Store

    init(maxRunning: Int, maxBatch: Int = 64, store: @escaping Store) {
        self.maxRunning = max(1, maxRunning)
        self.maxBatch = max(1, maxBatch)
        self.storeBatch = store
    }

    /// Stores `summary`; returns after the transaction that carried it committed.
    func store(_ summary: PreparedSummary) async throws -> StoreOutcome {
        try await withCheckedThrowingContinuation { c in
            queue.append((summary, c))
            pump()
        }
    }

    private func pump() {
        while running < maxRunning && !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            running += 1
            Task { await self.run(batch) }
        }
    }

    private func run(_ batch: [(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)]) async {
        await Self.execute(batch, with: storeBatch)
        running -= 1
        pump()
    }

    /// Stores the batch sorted by (agent, date) — so concurrent transactions, of this collector or
    /// another, lock the rows in one order — and resumes each caller. A batch that fails for
    /// good is tried again one summary per transaction, so one bad summary fails alone.
    private static func execute(_ batch: [(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)],
                                with store: Store) async {
        // Stable: revisions of one (agent, date) keep their arrival order.
        let order = batch.indices.sorted { a, b in
            let (x, y) = (batch[a].0, batch[b].0)
            return (x.agent, x.date, a) < (y.agent, y.date, b)
        }
        do {
            let outcomes = try await store(order.map { batch[$0].0 })
            for (i, outcome) in zip(order, outcomes) { batch[i].1.resume(returning: outcome) }
        } catch {
            if batch.count == 1 {
                batch[0].1.resume(throwing: error)
            } else {
                for item in batch { await execute([item], with: store) }
            }
        }
    }
}
