import Foundation
import SQLiteNIO

/// Copies the write-ahead log into the database file on its own connection, shortly after writes,
/// so commits do not pay for checkpoints (the writer's own auto-checkpoint stays as a high
/// safety net). PASSIVE checkpoints never block the writer or readers.
actor SQLiteCheckpointer {
    private let connection: SQLiteConnection
    private let pause: Duration
    private var dirty = false
    private var closed = false
    private var loop: Task<Void, Never>?

    init(connection: SQLiteConnection, pause: Duration = .milliseconds(200)) {
        self.connection = connection
        self.pause = pause
    }

    /// Notes that a transaction committed; a checkpoint follows within `pause`.
    func nudge() {
        dirty = true
        guard loop == nil, !closed else { return }
        loop = Task { await self.run() }
    }

    private func run() async {
        while dirty && !closed {
            dirty = false
            try? await Task.sleep(for: pause)
            _ = try? await connection.query("PRAGMA wal_checkpoint(PASSIVE)")
        }
        loop = nil
    }

    /// Stops checkpointing (after a last one) and closes the connection.
    func close() async {
        closed = true
        loop?.cancel()  // cut the pause short: the last checkpoint follows right here
        await loop?.value
        _ = try? await connection.query("PRAGMA wal_checkpoint(PASSIVE)")
        try? await connection.close()
    }
}
