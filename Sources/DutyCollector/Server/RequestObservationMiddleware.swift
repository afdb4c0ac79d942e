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
            var answer: APIError
            if let e = error as? APIError {
                answer = e
            } else if let e = error as? any HTTPResponseError {
                // Hummingbird's own refusals (no route, too large, bad parameter) get a JSON body too.
                answer = APIError(e.status, Self.reason(e.status), (e as? HTTPError)?.body ?? e.status.reasonPhrase)
            } else {
                context.logger.error("request failed", metadata: ["duty.error": "\(error)"])
                answer = APIError.internalError("the server failed; nothing was written")
            }
            answer.headers[.requestID] = context.id
            throw answer
        }
    }

    private static func reason(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        default: status.code >= 500 ? "internal_error" : "refused"
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
