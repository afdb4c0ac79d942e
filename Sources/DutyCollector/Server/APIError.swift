import Foundation
import Hummingbird
import Shared

/// A refusal or failure the API answers with a JSON body:
/// `{"error":"missing_field","message":"units[2].scheduled is missing","field":"units[2].scheduled"}`.
///
/// `error` is a stable machine-readable reason (also the `reason` label of
/// `summaries_rejected_total`); `message` is a sentence for people.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var body: Body
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    var headers: HTTPFields = [:]

    /// The JSON body, the one refusal shape of the wire (in `Shared`, read by the agent too).
    typealias Body = APIRefusal

    init(_ status: HTTPResponse.Status, _ reason: String, _ message: String, field: String? = nil, unit: String? = nil) {
        self.status = status
        self.body = Body(error: reason, message: message, field: field, unit: unit)
    }

    /// The machine-readable reason.
    var reason: String { body.error }

    var description: String { "\(status.code) \(body.error): \(body.message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(status, body)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension APIError {
    static func unauthorized(_ reason: String, _ message: String) -> APIError {
        var e = APIError(.unauthorized, reason, message)
        e.headers[.wwwAuthenticate] = "Bearer"
        return e
    }

    static func forbidden(_ reason: String, _ message: String, unit: String? = nil) -> APIError {
        APIError(.forbidden, reason, message, unit: unit)
    }

    static func badRequest(_ reason: String, _ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, reason, message, field: field)
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    /// The database could not be reached: 503, the client should retry.
    static func unavailable(_ message: String) -> APIError {
        var e = APIError(.serviceUnavailable, "database_unavailable", message)
        e.headers[.retryAfter] = "5"
        return e
    }

    /// Too many failed authentications from the caller's address: 429, try again after `retryAfter` seconds.
    static func tooManyAttempts(retryAfter: Int) -> APIError {
        var e = APIError(.tooManyRequests, "too_many_attempts",
                         "too many failed authentications from this address; try again in \(retryAfter) s")
        e.headers[.retryAfter] = String(retryAfter)
        return e
    }

    /// Any other server failure: 500, nothing was written.
    static func internalError(_ message: String) -> APIError { APIError(.internalServerError, "internal_error", message) }
}

/// JSON responses with one encoder: sorted keys, ISO 8601 dates.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    /// A response with `value` encoded as JSON.
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal_error","message":"response encoding failed"}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
