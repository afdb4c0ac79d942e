import Foundation
import Hummingbird

/// `GET /healthz` (the database answers) and `GET /metrics` (Prometheus text); no token needed.
struct OperationsRoutes: Sendable {
    let store: any CollectorStore
    let metrics: CollectorMetrics

    /// Adds the routes to `router`.
    func register(on router: Router<CollectorRequestContext>) {
        router.get("healthz") { _, context in
            do {
                _ = try await store.agents()
                return JSONBody.response(.ok, ["status": "ok", "database": "ok"])
            } catch {
                context.logger.error("health check failed", metadata: ["duty.error": "\(error)"])
                return JSONBody.response(.serviceUnavailable, ["status": "unavailable", "database": "\(error)"])
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
