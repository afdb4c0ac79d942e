import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// What the collector answered to one POST.
struct TransportResponse: Sendable, Equatable {
    var status: Int
    /// `Retry-After` in seconds, when the answer carried one.
    var retryAfter: Int?
    /// `Location`, when the answer carried one (a redirect, which the agent never follows).
    var location: String?
    var body: Data

    init(status: Int, retryAfter: Int? = nil, location: String? = nil, body: Data) {
        self.status = status
        self.retryAfter = retryAfter
        self.location = location
        self.body = body
    }
}

/// Sends one encoded day summary to the collector: the boundary the sender is tested across.
protocol SummaryTransport: Sendable {
    /// POSTs `body` (a canonical `DaySummary`) with the bearer `token`; throws only when no HTTP
    /// answer came back (connection refused, reset, timeout, a certificate that does not verify).
    func send(_ body: Data, token: String) async throws -> TransportResponse
}

/// The real transport: `POST <url>/api/v1/summaries` with AsyncHTTPClient.
///
/// Redirects are never followed: a 3xx comes back to the sender as an answer, so the token and the
/// summary go to the configured address and nowhere else. `https://` is verified against `ca_file`
/// or the system's trust store, host name included; a certificate that does not verify fails the
/// attempt (`TransportError.tls`) before anything is sent.
struct HTTPSummaryTransport: SummaryTransport {
    let endpoint: URL
    let timeout: TimeInterval
    let tls: CollectorTLS
    /// The longest answer body read; the collector's answers are a few hundred bytes.
    static let maxAnswerBytes = 64 * 1024
    /// Seconds to get a connection (TCP and TLS). AsyncHTTPClient tries again within this time when a
    /// connection fails, so a certificate that does not verify is reported after it.
    static let connectTimeout: TimeInterval = 10

    /// - Parameters:
    ///   - collector: the collector's base URL (`[collector] url`).
    ///   - tls: `ca_file`, `client_cert`, `client_key`.
    ///   - timeout: seconds to wait for an answer before the attempt counts as a network failure.
    init(collector: URL, tls: CollectorTLS = CollectorTLS(), timeout: TimeInterval = 30) {
        endpoint = collector.appendingPathComponent("api/v1/summaries")
        self.tls = tls
        self.timeout = timeout
    }

    /// The client's settings: no redirects, bounded connect and read waits, TLS from the config
    /// (the PEM files are read here, at each send, so renewed certificates take effect).
    func clientConfiguration() throws(TransportError) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try tlsConfiguration(),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(min(timeout, Self.connectTimeout))), read: .seconds(Int64(timeout))))
        configuration.httpVersion = .http1Only
        return configuration
    }

    /// Full verification (chain and host name) against `ca_file` or the system's roots; the client
    /// certificate when one is configured.
    func tlsConfiguration() throws(TransportError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.minimumTLSVersion = .tlsv12
        if let ca = tls.caFile {
            do {
                let roots = try NIOSSLCertificate.fromPEMFile(ca.path)
                guard !roots.isEmpty else { throw TransportError.files("ca_file \(ca.path) holds no PEM certificate") }
                configuration.trustRoots = .certificates(roots)
            } catch let error as TransportError {
                throw error
            } catch {
                throw .files("ca_file \(ca.path) cannot be read as PEM certificates: \(error)")
            }
        }
        if let cert = tls.clientCert, let key = tls.clientKey {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert.path).map { .certificate($0) }
            } catch {
                throw .files("client_cert \(cert.path) cannot be read as a PEM certificate: \(error)")
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem))
            } catch {
                throw .files("client_key \(key.path) cannot be read as a PEM private key: \(error)")
            }
        }
        return configuration
    }

    func send(_ body: Data, token: String) async throws -> TransportResponse {
        // A client (so a connection) per summary: nothing kept alive can die under a request, and
        // certificate files replaced on disk take effect at the next send.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: try clientConfiguration())
        do {
            let response = try await post(body, token: token, with: client)
            try await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func post(_ body: Data, token: String, with client: HTTPClient) async throws -> TransportResponse {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Connection", value: "close")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(Int64(timeout)))
        } catch {
            if let tlsFailure = describeTLSFailure(error) { throw TransportError.tls(tlsFailure) }
            throw error
        }
        let buffer = try await response.body.collect(upTo: Self.maxAnswerBytes)
        let retryAfter = response.headers.first(name: "Retry-After").flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        return TransportResponse(status: Int(response.status.code), retryAfter: retryAfter,
                                 location: response.headers.first(name: "Location"),
                                 body: Data(buffer.readableBytesView))
    }
}

extension HTTPSummaryTransport {
    /// A sentence for a TLS failure (the collector's certificate refused, or ours), nil for other errors.
    func describeTLSFailure(_ error: any Error) -> String? {
        let text = String(describing: error)
        let trust = tls.caFile.map { "ca_file \($0.path)" } ?? "the system's trust store"
        let host = endpoint.host ?? "the collector"
        if let ssl = error as? NIOSSLExtraError, ssl == .failedToValidateHostname {
            return "the collector's certificate is not for \(host) (host name mismatch); nothing was sent"
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "the collector's certificate did not verify against \(trust); nothing was sent (\(text))"
        }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("ALERT_BAD_CERTIFICATE")
            || text.contains("ALERT_UNKNOWN_CA") || text.contains("ALERT_HANDSHAKE_FAILURE") {
            let ours = tls.clientCert == nil ? "none is configured (client_cert, client_key)" : "client_cert was refused"
            return "the collector refused the TLS connection; it may require a client certificate and \(ours) (\(text))"
        }
        if error is NIOSSLError || text.contains("handshake") || text.contains("SSL") {
            return "the TLS connection to \(host) failed: \(text)"
        }
        return nil
    }
}

/// A transport failure the sender reports as it is (TLS), rather than as an unreachable collector.
enum TransportError: Error, Equatable, CustomStringConvertible {
    /// The TLS handshake failed: a certificate that does not verify (ours or the collector's).
    case tls(String)
    /// The configured PEM files cannot be used.
    case files(String)

    var description: String {
        switch self {
        case .tls(let message), .files(let message): message
        }
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
