import Foundation

/// The parts of a `postgres://user:password@host:port/database[?sslmode=...]` URL.
struct PostgresURL: Equatable, Sendable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    /// `sslmode=disable`; otherwise TLS is used when the server offers it.
    var tlsDisabled: Bool

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
        self.tlsDisabled = sslmode == "disable"
    }

    /// `text` with the password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? text
    }
}
