import Foundation
import Testing
@testable import DutyCollector

/// A transaction whose connection the server ends (`pg_terminate_backend`: FATAL 57P01) comes back,
/// stored after a retry, and never hangs.
///
/// PostgresNIO does not always answer a query sent on a connection that has just received a FATAL
/// error: the `ROLLBACK` the store used to send then waited forever, cancellation included, and so
/// did the collector's request (and the whole test run, in `aDroppedConnectionIsRetried`). The race
/// is lost about one time in five, so the cut is made several times, each under a deadline that
/// fails the test instead of waiting.
@Suite("PostgreSQL connection cuts", .timeLimit(.minutes(3)), .enabled(
    if: StorageBackend.postgresURL != nil || StorageBackend.inCI,
    "DUTYWATCH_TEST_POSTGRES_URL is not set: the PostgreSQL cases are SKIPPED (run scripts/start-postgres.sh)"))
struct PostgresCutTests {
    @Test func aTransactionCutByTheServerIsRetriedAndNeverHangs() async throws {
        try await StorageBackend.withPostgresDatabase { url, name, server in
            let store = try await PostgresStore.open(url: url)
            for round in 1...10 {
                let cuts = try await Self.within(seconds: 90, "round \(round): a write whose connection the server ended") {
                    async let cut: Int = {
                        try await Task.sleep(for: .milliseconds(250))
                        return try await PostgresAdmin.terminateConnections(to: name, serverURL: server)
                    }()
                    try await store.write { s in
                        try await s.query("SELECT pg_sleep(0.6)")
                        try await s.query("SELECT 1")
                    }
                    return try await cut
                }
                #expect(cuts >= 1, "round \(round): the server ended the transaction's connection")
            }
            await store.close()
        }
    }

    /// `body`'s result, or a failure after `seconds` even if `body` waits on something that never
    /// resumes and ignores cancellation (it is then left behind).
    static func within<T: Sendable>(seconds: Double, _ what: String,
                                    _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(for: .seconds(seconds))
                if !Task.isCancelled { once.resume(.failure(StoreError.unavailable("no result within \(Int(seconds)) s: \(what)"))) }
            }
            Task {
                do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
                timer.cancel()
            }
        }
    }

    /// A continuation resumed by the first of its racers.
    private final class Once<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }
        func resume(_ result: Result<T, any Error>) {
            let first = lock.withLock { () -> CheckedContinuation<T, any Error>? in
                defer { continuation = nil }
                return continuation
            }
            first?.resume(with: result)
        }
    }
}
