import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import ServiceLifecycle
import Shared

/// The collector's HTTP application: every route, its middleware and its metrics, over `store`.
/// `serve` runs it; the route tests call it too.
///
/// - Parameters:
///   - config: listen address, body limit, admin token and reviewers, bulletin settings.
///   - store: where summaries go (opened by `openStore(config:)`; a temp SQLite file in tests).
///   - registry: the Prometheus registry `/metrics` prints.
///   - logger: the application logger; each request's logger carries its `hb.request.id`.
///   - clock: the time of receipt, of reviews and of "today".
///   - server: how to listen (`ServerSetup.builder`, which adds TLS); plain HTTP with the
///     configured time-outs and limits when nil.
///   - caches: the bulletins and console figures kept while their data is unchanged.
func buildApplication(
    config: CollectorConfig, store: any CollectorStore,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger = Logger(label: "duty-collector"),
    clock: @escaping @Sendable () -> Date = { Date() },
    server: HTTPServerBuilder? = nil,
    caches: FigureCaches = FigureCaches()
) -> some ApplicationProtocol {
    let router = buildRouter(config: config, store: store, metrics: CollectorMetrics(registry: registry), clock: clock,
                             caches: caches)
    let scheme = config.server.tls == nil ? "http" : "https"
    return Application(
        router: router,
        server: server ?? ServerSetup.plain(config.server, logger: logger),
        configuration: ApplicationConfiguration(
            // No serverName: the collector does not announce what it runs.
            address: .hostname(config.server.host, port: config.server.port), serverName: nil,
            availableConnectionsDelegate: MaximumAvailableConnections(config.server.maxConnections)),
        onServerRunning: { channel in
            logger.info(
                "collector listening",
                metadata: ["duty.host": .string(config.server.host), "duty.port": .stringConvertible(channel.localAddress?.port ?? -1),
                           "duty.scheme": .string(scheme)])
        },
        logger: logger)
}

/// The router with every route; see `docs/collector.md` for the API.
///
/// `throttle` slows addresses that keep failing authentication; a sign-in route added here
/// should share it (`check` before looking at the password, `fail` after a wrong one).
func buildRouter(
    config: CollectorConfig, store: any CollectorStore, metrics: CollectorMetrics, clock: @escaping @Sendable () -> Date,
    throttle: AuthThrottle = AuthThrottle(), caches: FigureCaches = FigureCaches()
) -> Router<CollectorRequestContext> {
    let router = Router(context: CollectorRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware(https: config.server.tls != nil))
    router.add(middleware: RequestObservationMiddleware(metrics: metrics))
    OperationsRoutes(store: store, metrics: metrics).register(on: router)

    let authenticator = Authenticator(config: config, store: store)
    func only(_ roles: Set<AuthMiddleware.Role>) -> AuthMiddleware {
        AuthMiddleware(allowed: roles, authenticator: authenticator, throttle: throttle, clock: clock)
    }
    let api = router.group("api/v1")

    let agents = api.group()
        .add(middleware: SummaryRejectionMiddleware(metrics: metrics))
        .add(middleware: only([.agent]))
    SummaryRoutes(store: store, metrics: metrics, maxBodyBytes: config.server.maxBodyBytes, clock: clock,
                  supportedSchemas: config.server.supportedSchemas)
        .register(on: agents)

    let readers = api.group().add(middleware: only([.admin, .reviewer]))
    ReadRoutes(store: store, zone: config.bulletin.zone, clock: clock).register(on: readers)
    ReviewRoutes(store: store, warmups: caches.warmups, clock: clock).register(on: readers)
    BulletinRoute(store: store, settings: config.bulletin, review: config.review, cache: caches.bulletins, clock: clock)
        .register(on: readers)

    let admins = api.group().add(middleware: only([.admin]))
    AdminRoutes(store: store, clock: clock).register(on: admins)

    addConsoleRoutes(to: router, config: config, store: store, caches: caches, clock: clock)
    // Last: it answers 405 for the paths registered above.
    MethodNotAllowed.register(on: router)
    return router
}
