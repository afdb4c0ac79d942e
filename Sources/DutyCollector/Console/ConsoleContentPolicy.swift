import Hummingbird
import HTTPTypes

/// The console's `Content-Security-Policy`: its pages load their stylesheet, script and images from
/// the collector itself and post their forms back to it; nothing inline, nothing from elsewhere,
/// no framing. (Every other response keeps `SecurityHeadersMiddleware`'s policy of no source at all.)
struct ConsoleContentPolicy<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        return response
    }
}
