import Foundation
import Hummingbird
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
func buildApplication(
    config: CollectorConfig, store: any CollectorStore,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger = Logger(label: "duty-collector"),
    clock: @escaping @Sendable () -> Date = { Date() }
) -> some ApplicationProtocol {
    let router = buildRouter(config: config, store: store, metrics: CollectorMetrics(registry: registry), clock: clock)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(config.server.host, port: config.server.port), serverName: "duty-collector"),
        onServerRunning: { channel in
            logger.info(
                "collector listening",
                metadata: ["duty.host": .string(config.server.host), "duty.port": .stringConvertible(channel.localAddress?.port ?? -1)])
        },
        logger: logger)
}

/// The router with every route; see `docs/collector.md` for the API.
func buildRouter(
    config: CollectorConfig, store: any CollectorStore, metrics: CollectorMetrics, clock: @escaping @Sendable () -> Date
) -> Router<CollectorRequestContext> {
    let router = Router(context: CollectorRequestContext.self)
    router.add(middleware: RequestObservationMiddleware(metrics: metrics))
    OperationsRoutes(store: store, metrics: metrics).register(on: router)

    let authenticator = Authenticator(config: config, store: store)
    let api = router.group("api/v1")

    let agents = api.group()
        .add(middleware: SummaryRejectionMiddleware(metrics: metrics))
        .add(middleware: AuthMiddleware(allowed: [.agent], authenticator: authenticator))
    SummaryRoutes(store: store, metrics: metrics, maxBodyBytes: config.server.maxBodyBytes, clock: clock)
        .register(on: agents)

    let readers = api.group().add(middleware: AuthMiddleware(allowed: [.admin, .reviewer], authenticator: authenticator))
    ReadRoutes(store: store, zone: config.bulletin.zone, clock: clock).register(on: readers)
    ReviewRoutes(store: store, clock: clock).register(on: readers)
    BulletinRoute(store: store, settings: config.bulletin, clock: clock).register(on: readers)

    let admins = api.group().add(middleware: AuthMiddleware(allowed: [.admin], authenticator: authenticator))
    AdminRoutes(store: store, clock: clock).register(on: admins)

    addConsoleRoutes(to: router, config: config, store: store, clock: clock)
    return router
}
