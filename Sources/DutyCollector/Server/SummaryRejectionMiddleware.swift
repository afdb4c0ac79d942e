import Hummingbird

/// Counts every refused `POST /api/v1/summaries` in `summaries_rejected_total{reason}`, the
/// refusals of the token check included; it sits in front of `AuthMiddleware`.
struct SummaryRejectionMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            metrics.summaryRejected(reason: e.reason)
            throw e
        } catch {
            metrics.summaryRejected(reason: "internal_error")
            throw error
        }
    }
}
