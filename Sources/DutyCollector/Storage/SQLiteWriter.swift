import Foundation
import Shared
import SQLiteNIO

/// The one SQLite write connection: every write runs here, one transaction at a time.
///
/// Summaries that arrive while a transaction is running are stored together in the next one
/// (group commit): one `BEGIN IMMEDIATE ... COMMIT` and one fsync for many summaries, each still
/// acknowledged only after the commit. If a batch fails it is rolled back and retried one
/// summary per transaction, so one bad summary cannot take others down with it.
actor SQLiteWriter {
    private enum Job {
        case summary(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)
        case work(run: @Sendable (any SQLSession) async throws -> @Sendable () -> Void,
                  fail: @Sendable (any Error) -> Void)
    }

    private let connection: SQLiteConnection
    private let checkpointer: SQLiteCheckpointer?
    private var queue: [Job] = []
    private var draining: Task<Void, Never>?
    /// What this writer's commits put in the database (units' tree rows, agents' contacts).
    private var memory = WriterMemory()
    /// The most summaries in one transaction.
    private let maxBatch: Int

    init(connection: SQLiteConnection, checkpointer: SQLiteCheckpointer? = nil, maxBatch: Int = 256) {
        self.connection = connection
        self.checkpointer = checkpointer
        self.maxBatch = maxBatch
    }

    /// Stores a summary; returns after its transaction committed.
    func store(_ summary: PreparedSummary) async throws -> StoreOutcome {
        try await withCheckedThrowingContinuation { c in
            queue.append(.summary(summary, c))
            startDraining()
        }
    }

    /// Runs `body` in its own write transaction; returns after the commit.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            queue.append(.work(run: { session in
                let value = try await body(session)
                return { c.resume(returning: value) }
            }, fail: { c.resume(throwing: $0) }))
            startDraining()
        }
    }

    /// Closes the connection once the queue is empty.
    func close() async {
        while let task = draining { await task.value }
        await checkpointer?.close()
        try? await connection.close()
    }

    private func startDraining() {
        guard draining == nil else { return }
        draining = Task { await self.drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            if case .work(let run, let fail) = queue[0] {
                queue.removeFirst()
                await runWork(run: run, fail: fail)
                continue
            }
            var batch: [(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)] = []
            while batch.count < maxBatch, let first = queue.first, case .summary(let s, let c) = first {
                queue.removeFirst()
                batch.append((s, c))
            }
            await runBatch(batch)
        }
        draining = nil
    }

    private func committed() {
        guard let checkpointer else { return }
        Task { await checkpointer.nudge() }
    }

    private func runWork(run: @Sendable (any SQLSession) async throws -> @Sendable () -> Void,
                         fail: @Sendable (any Error) -> Void) async {
        let session = SQLiteSession(connection: connection)
        do {
            try await session.query("BEGIN IMMEDIATE")
            do {
                let deliver = try await run(session)
                try await session.query("COMMIT")
                committed()
                deliver()
            } catch {
                _ = try? await session.query("ROLLBACK")
                throw error
            }
        } catch {
            fail(error)
        }
    }

    private func runBatch(_ batch: [(PreparedSummary, CheckedContinuation<StoreOutcome, any Error>)]) async {
        let session = SQLiteSession(connection: connection)
        var outcomes: [StoreOutcome] = []
        var learned = WriterMemory()
        do {
            try await session.query("BEGIN IMMEDIATE")
            do {
                (outcomes, learned) = try await SummaryWriter.storeBatch(batch.map(\.0), in: session, known: memory)
                try await session.query("COMMIT")
            } catch {
                _ = try? await session.query("ROLLBACK")
                throw error
            }
        } catch {
            if batch.count == 1 {
                batch[0].1.resume(throwing: error)
            } else {
                for item in batch { await runBatch([item]) }
            }
            return
        }
        memory.learn(learned)
        committed()
        for (item, outcome) in zip(batch, outcomes) { item.1.resume(returning: outcome) }
    }
}
