import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the collector answered to one POST.
struct TransportResponse: Sendable, Equatable {
    var status: Int
    /// `Retry-After` in seconds, when the answer carried one.
    var retryAfter: Int?
    var body: Data
}

/// Sends one encoded day summary to the collector: the boundary the sender is tested across.
protocol SummaryTransport: Sendable {
    /// POSTs `body` (a canonical `DaySummary`) with the bearer `token`; throws only when no HTTP
    /// answer came back (connection refused, reset, timeout).
    func send(_ body: Data, token: String) async throws -> TransportResponse
}

/// The real transport: `POST <url>/api/v1/summaries` with URLSession.
struct HTTPSummaryTransport: SummaryTransport {
    let endpoint: URL
    let configuration: URLSessionConfiguration

    /// - Parameters:
    ///   - collector: the collector's base URL (`[collector] url`).
    ///   - timeout: seconds to wait for an answer before the attempt counts as a network failure.
    init(collector: URL, timeout: TimeInterval = 30) {
        endpoint = collector.appendingPathComponent("api/v1/summaries")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.configuration = configuration
    }

    func send(_ body: Data, token: String) async throws -> TransportResponse {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        // A session (so a connection) per summary: when a kept-alive connection dies under a request,
        // libcurl retries it on a new one without the body and the request hangs until its timeout.
        // URLSession ignores a `Connection: close` header, so reuse is avoided this way.
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        return TransportResponse(status: http.statusCode, retryAfter: retryAfter, body: data)
    }
}

/// Where the agent's token comes from: the environment variable `DUTY_AGENT_TOKEN`, else
/// `[collector] token_file` (read again on every use, so a replaced token file takes effect).
struct TokenSource: Sendable {
    var file: URL?
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The token, trimmed; throws a sentence saying where it was looked for.
    func token() throws(DeliveryError) -> String {
        if let value = environment["DUTY_AGENT_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return value
        }
        guard let file else {
            throw .noToken("no token: set [collector] token_file or the environment variable DUTY_AGENT_TOKEN")
        }
        guard let data = FileManager.default.contents(atPath: file.path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else {
            throw .noToken("no token: \(file.path) is missing or empty (and DUTY_AGENT_TOKEN is not set)")
        }
        return text
    }
}

/// A delivery failure that stops sending, as a sentence.
enum DeliveryError: Error, Equatable, CustomStringConvertible {
    case noToken(String)

    var description: String {
        switch self {
        case .noToken(let message): message
        }
    }
}
