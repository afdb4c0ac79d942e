import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Shared

/// The shared store: a PostgreSQL database given by a URL, several collectors at once.
///
/// Each method is one transaction on a pooled connection. Concurrent writers of the same
/// (agent, date) meet at its row (`INSERT ... ON CONFLICT DO NOTHING` then `SELECT ... FOR UPDATE`);
/// migrations take a transaction-scoped advisory lock. A transaction that fails because the
/// connection dropped (or was chosen as a deadlock victim) is retried with backoff, and so is an
/// attempt that has not finished within `attemptDeadline`: PostgresNIO sometimes never answers a
/// query sent on a connection that is being ended, and a request must not wait on it forever.
///
/// Its `PostgresClient` runs either as a `Service` of the caller's `ServiceGroup` (`serve`: the
/// group starts it and stops it after the HTTP server, on SIGTERM), or in a task of its own for
/// the short commands and the tests (`close()` ends it).
final class PostgresStore: SQLBackedStore, Service {
    /// Who runs the connection pool.
    enum ClientRun: Sendable {
        /// A task of the store's own, ended by `close()`.
        case ownTask
        /// The caller's `ServiceGroup`, through the store's `run()`.
        case service
    }

    /// `host:port/database`, for messages.
    let target: String
    private let client: PostgresClient
    private let runner: Task<Void, Never>?
    private let logger: Logger
    private let batcher: PostgresBatcher
    /// How long one attempt of a transaction may take before it is abandoned and retried.
    let attemptDeadline: Duration

    /// The default `attemptDeadline`: far above any statement the collector runs (the month
    /// bulletin of 100,000 people reads in under a second), far below "forever".
    static let defaultAttemptDeadline: Duration = .seconds(30)

    /// How many ingest transactions run at once: one a core of this machine, at least 2 (one is
    /// built while another commits) and at most 8. Every transaction beyond what the cores can run
    /// only splits the waiting summaries into smaller batches, each paying the same statements: on
    /// the two-core bench machine 8 at once stored 1,806 summaries/s, 2 or 3 at once about 2,000/s
    /// with less CPU a summary (BENCHMARKS.md, run 8).
    static let ingestTransactions = min(8, max(2, ProcessInfo.processInfo.activeProcessorCount))

    private init(client: PostgresClient, target: String, logger: Logger, clientRun: ClientRun, attemptDeadline: Duration) {
        self.client = client
        self.target = target
        self.logger = logger
        self.attemptDeadline = attemptDeadline
        self.runner = clientRun == .ownTask ? Task { await client.run() } : nil
        let memory = WriterMemoryBox()
        self.batcher = PostgresBatcher(maxRunning: Self.ingestTransactions) { batch in
            let known = await memory.snapshot()
            let (outcomes, learned) = try await Self.transaction(client: client, target: target, logger: logger,
                                                                 deadline: attemptDeadline, begin: "BEGIN") { s in
                try await SummaryWriter.storeBatch(batch, in: s, known: known)
            }
            await memory.learn(learned)
            return outcomes
        }
    }

    /// Connects to `url` (`postgres://user:password@host:port/database[?sslmode=disable]`) and
    /// applies the migrations. Throws `StoreError.unavailable` naming the server when it cannot be
    /// reached within `timeout`. With `clientRun: .service` the migrations run over a pool of their
    /// own, closed before returning, and the returned store's pool waits for the caller's
    /// `ServiceGroup` to run it.
    static func open(url: String, timeout: Duration = .seconds(10),
                     logger: Logger = Logger(label: "duty.collector.postgres"),
                     clientRun: ClientRun = .ownTask,
                     attemptDeadline: Duration = PostgresStore.defaultAttemptDeadline) async throws -> PostgresStore {
        let settings = try PostgresURL(url)
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database,
            tls: settings.tlsConfiguration.map { PostgresClient.Configuration.TLS.require($0) } ?? .disable)
        configuration.options.connectTimeout = timeout
        configuration.options.maximumConnections = 16
        // One direct connection first: a server that is not there is reported at once, with the reason.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await PostgresAdmin.connect(settings, logger: logger).close() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw StoreError.unavailable("PostgreSQL at \(settings.target): no answer within \(timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: logger),
                                  target: settings.target, logger: logger, clientRun: .ownTask,
                                  attemptDeadline: attemptDeadline)
        do {
            // The server answered above; the migrations get a bound of their own: one may rebuild a
            // large table (version 22 a key over every unit figure), or wait for another collector
            // applying them. Past it the transaction is rolled back whole.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.migrate() }
                group.addTask {
                    try await Task.sleep(for: migrationDeadline)
                    throw StoreError.unavailable("""
                        PostgreSQL at \(settings.target): the schema migrations did not finish within \(migrationDeadline) \
                        (another collector applying them, or a long lock on a table)
                        """)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await store.close()
            if let e = error as? StoreError { throw e }
            throw StoreError.unavailable("PostgreSQL at \(settings.target): \(Self.describe(error))")
        }
        guard clientRun == .service else { return store }
        await store.close()
        return PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: logger),
                             target: settings.target, logger: logger, clientRun: .service,
                             attemptDeadline: attemptDeadline)
    }

    /// Runs the connection pool until the service group shuts down gracefully (a store opened
    /// with `clientRun: .service`); returns at once for a store that runs its own.
    func run() async throws {
        guard runner == nil else { return }
        await cancelWhenGracefulShutdown { await self.client.run() }
    }

    /// How long opening the store waits for the schema migrations (see `open`).
    static let migrationDeadline: Duration = .seconds(600)

    func migrate() async throws {
        _ = try await Self.transaction(client: client, target: target, logger: logger, deadline: Self.migrationDeadline,
                                       begin: "BEGIN") { s in
            // Any fixed key: collectors starting together apply the migrations one after another.
            try await s.query("SELECT pg_advisory_xact_lock(7418920551)")
            return try await Migrations.apply(s, now: Date())
        }
    }

    func store(_ summary: DaySummary, receivedAt: Date) async throws -> StoreOutcome {
        try await batcher.store(PreparedSummary(summary, receivedAt: receivedAt))
    }

    func store(_ prepared: PreparedSummary) async throws -> StoreOutcome {
        try await batcher.store(prepared)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await Self.transaction(client: client, target: target, logger: logger, deadline: attemptDeadline,
                                   begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) async throws -> T) async throws -> T {
        try await Self.transaction(client: client, target: target, logger: logger, deadline: attemptDeadline,
                                   begin: "BEGIN", body)
    }

    var dialect: SQLDialect { .postgres }

    func select(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await Self.transaction(client: client, target: target, logger: logger, deadline: attemptDeadline,
                                   begin: nil) { s in
            try await s.query(sql, binds)
        }
    }

    /// Ends the pool's own task; a pool run as a service ends with its service group.
    func close() async {
        runner?.cancel()
        await runner?.value
    }

    /// Runs `body` between `begin` and COMMIT (or alone when `begin` is nil) on a pooled connection,
    /// again (up to 5 attempts, with backoff) on a transient failure or when an attempt is not done
    /// within `deadline`. A retried write may have committed already (its COMMIT's answer lost), so
    /// every write body must be idempotent: run twice, it has the effect of running once.
    private static func transaction<T: Sendable>(
        client: PostgresClient, target: String, logger: Logger, deadline: Duration, begin: String?,
        _ body: @escaping @Sendable (any SQLSession) async throws -> T
    ) async throws -> T {
        let attempts = 5
        var attempt = 1
        while true {
            do {
                return try await Self.within(deadline) {
                    try await client.withConnection { connection in
                        let session = PostgresSession(connection: connection, logger: logger)
                        guard let begin else { return try await body(session) }
                        try await session.query(begin)
                        do {
                            let value = try await body(session)
                            // An attempt abandoned at its deadline must not commit beside its retry.
                            try Task.checkCancellation()
                            try await session.query("COMMIT")
                            return value
                        } catch {
                            // A connection that failed has no transaction left to roll back.
                            if !Self.isConnectionError(error) { _ = try? await session.query("ROLLBACK") }
                            throw error
                        }
                    }
                }
            } catch {
                guard Self.isTransient(error), attempt < attempts, !Task.isCancelled else {
                    // PSQLError's own description hides the server's message; the operator needs it. (A
                    // store's own refusals, such as a name that exists, are answers, not failures.)
                    if error is PSQLError || error is AttemptTimedOut {
                        logger.error("PostgreSQL transaction failed", metadata: [
                            "duty.db.target": "\(target)", "duty.db.attempt": "\(attempt)",
                            "duty.db.error": "\(Self.describe(error))",
                        ])
                    }
                    if Self.isConnectionError(error) {
                        throw StoreError.unavailable("PostgreSQL at \(target): \(Self.describe(error))")
                    }
                    throw error
                }
                logger.warning("PostgreSQL transaction failed, retrying", metadata: [
                    "duty.db.target": "\(target)", "duty.db.attempt": "\(attempt)", "duty.db.error": "\(Self.describe(error))",
                ])
                // Exponential backoff with full jitter: up to 0.1 s, 0.2 s, 0.4 s, 0.8 s.
                let ceiling = 100 * (1 << (attempt - 1))
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...ceiling)))
                attempt += 1
            }
        }
    }

    /// An attempt that was not done within its deadline (and was abandoned).
    struct AttemptTimedOut: Error, CustomStringConvertible {
        let deadline: Duration
        var description: String { "no answer within \(deadline) (the attempt was abandoned)" }
    }

    /// `body`'s result, or `AttemptTimedOut` once `deadline` has passed. `body` runs in a task of
    /// its own, cancelled at the deadline and then left behind: a query PostgresNIO never answers
    /// ignores cancellation too, and waiting for it (as a task group would) would hang the caller.
    static func within<T: Sendable>(_ deadline: Duration,
                                    _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = FirstResult<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let work = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: deadline)
                    if !Task.isCancelled { race.finish(.failure(AttemptTimedOut(deadline: deadline))) }
                }
                race.onFinish {
                    timer.cancel()
                    work.cancel()
                }
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// Whether retrying the whole transaction may succeed: a lost connection, a deadlock victim,
    /// a serialisation failure, a server shutting down, an attempt past its deadline.
    static func isTransient(_ error: any Error) -> Bool {
        if isConnectionError(error) { return true }
        guard let e = error as? PSQLError, e.code == .server, let state = e.serverInfo?[.sqlState] else { return false }
        return ["40001", "40P01"].contains(state)
    }

    /// Whether the connection itself failed (rather than a statement): lost, closed, or ended by the
    /// server with a FATAL error (administrator command, shutdown). Such a connection is not used
    /// again, not even for ROLLBACK (PostgresNIO may never answer a query on it).
    static func isConnectionError(_ error: any Error) -> Bool {
        if error is AttemptTimedOut { return true }
        guard let e = error as? PSQLError else { return false }
        if [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(e.code) {
            return true
        }
        guard e.code == .server, let info = e.serverInfo else { return false }
        let state = info[.sqlState] ?? ""
        return ["FATAL", "PANIC"].contains(info[.severity] ?? "") || state.hasPrefix("57P") || state.hasPrefix("08")
    }

    /// The server's message when there is one, else the error's code.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        if let message = e.serverInfo?[.message] { return message }
        if let underlying = e.underlying { return "\(e.code): \(underlying)" }
        return "\(e.code)"
    }
}

/// The first result of a race between an attempt and its deadline, delivered once.
private final class FirstResult<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var finished = false
    private var cancelled = false
    private var finishHandlers: [@Sendable () -> Void] = []

    func start(_ c: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = lock.withLock {
            if cancelled { finished = true; return .failure(CancellationError()) }
            continuation = c
            return nil
        }
        if let early { c.resume(with: early) }
    }

    func finish(_ result: Result<T, any Error>) {
        let (c, handlers): (CheckedContinuation<T, any Error>?, [@Sendable () -> Void]) = lock.withLock {
            guard !finished else { return (nil, []) }
            finished = true
            defer { continuation = nil; finishHandlers = [] }
            return (continuation, finishHandlers)
        }
        c?.resume(with: result)
        for h in handlers { h() }
    }

    func onFinish(_ handler: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if finished { return true }
            finishHandlers.append(handler)
            return false
        }
        if now { handler() }
    }

    /// The caller was cancelled: it gets `CancellationError` now (or at `start`, if not started yet).
    func cancel() {
        let started: Bool = lock.withLock {
            cancelled = true
            return continuation != nil
        }
        if started { finish(.failure(CancellationError())) }
    }
}

/// What the ingest transactions committed, shared by those running at once (`WriterMemory`).
private actor WriterMemoryBox {
    private var memory = WriterMemory()
    func snapshot() -> WriterMemory { memory }
    func learn(_ more: WriterMemory) { memory.learn(more) }
}
