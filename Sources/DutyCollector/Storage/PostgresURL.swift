import Foundation
import NIOSSL

/// The parts of a `postgres://user:password@host:port/database[?sslmode=...]` URL.
struct PostgresURL: Equatable, Sendable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    /// `sslmode`: whether and how TLS is used. There is no mode that falls back to plain text.
    var tlsMode: TLSMode
    /// `sslrootcert`: the CA certificates (PEM) the server's certificate must chain to, instead of
    /// the system's trust store.
    var rootCertificate: String?

    /// `sslmode=disable`.
    var tlsDisabled: Bool { tlsMode == .disable }

    /// How the connection to PostgreSQL is protected.
    enum TLSMode: String, Sendable {
        /// Plain text: the default on a loopback host only.
        case disable
        /// TLS, the server's certificate not checked (as libpq's `require`).
        case require
        /// TLS, the certificate checked against the trust roots but not the host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate checked against the trust roots and the host name: the default
        /// for a host that is not loopback.
        case verifyFull = "verify-full"
    }

    /// `host:port/database`, for messages (never the password).
    var target: String { "\(host):\(port)/\(database)" }

    /// Parses `text`; throws `StoreError.unavailable` saying what is missing.
    init(_ text: String) throws {
        guard let c = URLComponents(string: text), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw StoreError.unavailable("not a postgres:// URL: \(PostgresURL.redacted(text))") }
        guard let host = c.host, !host.isEmpty else { throw StoreError.unavailable("no host in \(PostgresURL.redacted(text))") }
        guard let user = c.user, !user.isEmpty else { throw StoreError.unavailable("no user in \(PostgresURL.redacted(text))") }
        self.host = host
        self.port = c.port ?? 5432
        self.user = user
        self.password = c.password
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        self.database = path.isEmpty ? self.user : path
        let sslmode = c.queryItems?.first { $0.name == "sslmode" }?.value
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        switch sslmode {
        case nil: self.tlsMode = loopback ? .disable : .verifyFull
        case let mode?:
            guard let m = TLSMode(rawValue: mode) else {
                throw StoreError.unavailable(
                    "sslmode=\(mode) in \(PostgresURL.redacted(text)) is not supported: use disable, require, verify-ca or "
                        + "verify-full (prefer and allow would fall back to plain text without a word)")
            }
            self.tlsMode = m
        }
        self.rootCertificate = c.queryItems?.first { $0.name == "sslrootcert" }?.value
    }

    /// The TLS client configuration of `tlsMode`; nil for `disable`.
    var tlsConfiguration: TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable: return nil
        case .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        return tls
    }

    /// `text` with the password replaced by `***`, also when the text is no valid URL (the
    /// mistyped URLs that error messages quote are the ones `URLComponents` cannot parse).
    static func redacted(_ text: String) -> String { DatabaseLocation.masked(text) }
}
