import Hummingbird
import HTTPTypes

/// Puts the security headers on every response, refusals included: nothing the collector serves
/// may load anything from anywhere, be framed, be sniffed as another type, leak its URL in a
/// referrer or be kept in a cache (the API's answers hold people's attendance records).
///
/// A route that serves a page with its own needs (the web console) sets its own
/// `Content-Security-Policy` and `Cache-Control`, which are kept; the rest are always set.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext

    /// The policy of every response that does not set its own: no source at all.
    static let contentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    /// `Strict-Transport-Security` when the collector serves HTTPS; nil over plain HTTP.
    let strictTransportSecurity: String?

    init(https: Bool) {
        strictTransportSecurity = https ? "max-age=31536000" : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        secure(&response.headers)
        return response
    }

    /// Adds the headers to `headers`.
    func secure(_ headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = Self.contentSecurityPolicy }
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        headers[.crossOriginResourcePolicy] = "same-origin"
        if let strictTransportSecurity { headers[.strictTransportSecurity] = strictTransportSecurity }
        headers[.server] = nil
    }
}

extension HTTPField.Name {
    /// `Referrer-Policy`.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `X-Frame-Options`.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
