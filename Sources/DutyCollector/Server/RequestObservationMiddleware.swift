import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Logs one line per request with its request id, echoes the id in `X-Request-Id`, and records
/// the latency histogram.
struct RequestObservationMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            status = response.status
            finish(request, context: context, status: status, start: start)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            finish(request, context: context, status: status, start: start)
            if var e = error as? APIError {
                e.headers[.requestID] = context.id
                throw e
            }
            if !(error is any HTTPResponseError) {
                context.logger.error("request failed", metadata: ["duty.error": "\(error)"])
                var e = APIError.internalError("the server failed; nothing was written")
                e.headers[.requestID] = context.id
                throw e
            }
            throw error
        }
    }

    private func finish(_ request: Request, context: Context, status: HTTPResponse.Status, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.requestFinished(route: route, method: request.method.rawValue, status: status.code, duration: elapsed)
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: status.code >= 500 ? .error : .info, "request",
            metadata: [
                "duty.method": .string(request.method.rawValue), "duty.path": .string(request.uri.path),
                "duty.status": .stringConvertible(status.code), "duty.duration_ms": .string(String(format: "%.2f", ms)),
            ])
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
