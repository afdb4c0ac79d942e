import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// `duty-collector serve [--config F]`: runs the HTTP API until SIGTERM or SIGINT, then drains and stops.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Receive day summaries and serve the read, review and admin API.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let logger = commandLogger()
        try ServerSetup.checkPlainHTTP(config.server, file: config.file, logger: logger)
        let server = try ServerSetup.builder(config.server, file: config.file, logger: logger)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let store = try await openStore(config: config, logger: logger, clientRun: .service)
        if config.adminTokenHash == nil {
            logger.warning("no admin token configured: the admin API refuses every request (set DUTY_COLLECTOR_ADMIN_TOKEN or auth.admin_token_file)")
        }
        logger.info(
            "collector starting",
            metadata: [
                "duty.database": .string(config.database.description),
                "duty.address": .string("\(config.server.host):\(config.server.port)"),
                "duty.config": .string(config.file ?? "(defaults)"),
            ])
        let caches = FigureCaches()
        let app = buildApplication(config: config, store: store, registry: registry, logger: logger, server: server,
                                   caches: caches)
        // The console's first pages of the day built before anyone asks (at start, then at each
        // new business date).
        let warmer = FigureWarmer(store: store, caches: caches, settings: config.bulletin, review: config.review,
                                  clock: { Date() }, logger: logger)
        // The database pool first: the group stops services in reverse order, the warmer and the
        // HTTP server before it.
        // Between them, figures still being built in the background finish while the pool is up.
        let services: [any Service] = [store as? any Service, FigureBuildsDrain(caches: caches), app, warmer].compactMap { $0 }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            await store.close()
            if let e = error as? IOError {
                throw CommandFailure("cannot listen on \(config.server.host):\(config.server.port): \(e.description)")
            }
            throw error
        }
        // Figures still being built in the background finish before their database goes (SQLite's
        // store is not a service of the group; for PostgreSQL `FigureBuildsDrain` did it).
        await caches.settle()
        await store.close()
        logger.info("collector stopped")
    }
}

/// Waits, at shutdown, for figures being built in the background: stopped after the HTTP server
/// and before the database pool (the group stops services in reverse order), so a build under way
/// does not fail on a pool already gone.
struct FigureBuildsDrain: Service {
    let caches: FigureCaches

    func run() async throws {
        try? await gracefulShutdown()
        await caches.settle()
    }
}
