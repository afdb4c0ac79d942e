import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts one alert message: the boundary the alert sender is tested across.
protocol AlertTransport: Sendable {
    /// POSTs `message` for `target`; throws only when no HTTP answer came back.
    func post(_ message: AlertMessage, target: AlertTarget) async throws -> TransportResponse
}

/// The real transport: the agent's own HTTP client settings (`HTTPSummaryTransport`: no redirects,
/// bounded waits, full TLS verification against the target's `ca_file` or the system's roots).
struct HTTPAlertTransport: AlertTransport {
    var timeout: TimeInterval = 15

    func post(_ message: AlertMessage, target: AlertTarget) async throws -> TransportResponse {
        let settings = HTTPSummaryTransport(collector: target.url, tls: CollectorTLS(caFile: target.caFile), timeout: timeout)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                configuration: try settings.clientConfiguration())
        do {
            var request = HTTPClientRequest(url: message.url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "Connection", value: "close")
            for (name, value) in message.headers.sorted(by: { $0.key < $1.key }) { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: message.body))
            let response = try await client.execute(request, timeout: .seconds(Int64(timeout)))
            let buffer = try await response.body.collect(upTo: HTTPSummaryTransport.maxAnswerBytes)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            try await client.shutdown()
            return TransportResponse(status: Int(response.status.code), retryAfter: retryAfter,
                                     body: Data(buffer.readableBytesView))
        } catch {
            try? await client.shutdown()
            if let tls = settings.describeTLSFailure(error) { throw TransportError.tls(tls) }
            throw error
        }
    }
}
