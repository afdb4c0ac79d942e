import Crypto
import Foundation
import Shared

/// The collector's settings: `collector.toml` (every key optional) with environment overrides.
/// Every key is documented in `docs/collector.md`.
struct CollectorConfig: Sendable, Equatable {
    /// The config file as the user named it; nil when the collector runs on defaults.
    var file: String?
    /// The folder relative paths in the file are resolved against (the current folder without a file).
    var directory: URL
    var server: ServerSettings
    var database: DatabaseLocation
    /// Hex SHA-256 of the admin token; nil when no admin token is configured (admin routes then refuse everyone).
    var adminTokenHash: String?
    /// `[[reviewer]]`: HR reviewers and the hashes of their tokens.
    var reviewers: [Reviewer]
    /// `[bulletin]`: read by `BulletinSettings` (the reports' own keys, documented there and in docs/collector.md).
    var bulletin: BulletinSettings
    /// `[console]`: the HR console's sessions.
    var console = ConsoleSettings()
    /// `[review]`: time limits of HR review (限时办结).
    var review = ReviewSettings()

    /// The settings used when there is no config file and no environment override: SQLite in
    /// `duty-collector.sqlite` in `directory`, listening on 127.0.0.1:8080.
    static func defaults(directory: URL) -> CollectorConfig {
        CollectorConfig(
            file: nil, directory: directory, server: ServerSettings(),
            database: .sqlite(path: directory.appendingPathComponent("duty-collector.sqlite").path),
            adminTokenHash: nil, reviewers: [], bulletin: BulletinSettings())
    }
}

/// `[server]`.
struct ServerSettings: Sendable, Equatable {
    /// `host`: the address to listen on.
    var host: String = "127.0.0.1"
    /// `port`: the TCP port (0 picks a free one).
    var port: Int = 8080
    /// `max_body_kb`: the largest request body accepted, in KiB; larger ones get 413.
    var maxBodyKB: Int = 1024

    /// `tls_cert` and `tls_key`: serve HTTPS with this certificate (chain) and key; nil serves plain HTTP.
    var tls: TLSFiles?
    /// `allow_plain_http`: listen without TLS on an address other than loopback (logged as a warning).
    var allowPlainHTTP = false
    /// `idle_timeout_s`: a connection with no request in progress, or whose request headers have
    /// not all arrived, is closed after this many seconds without a complete request part.
    var idleTimeoutSeconds = 30
    /// `body_timeout_s`: a request body must arrive whole within this many seconds of its headers.
    var bodyTimeoutSeconds = 60
    /// `max_connections`: connections open at once; beyond them new ones wait to be accepted.
    var maxConnections = 1_000
    /// `max_connections_per_address`: connections open at once from one client address; more are closed.
    var maxConnectionsPerAddress = 100

    /// The day summary versions accepted: `DaySummary.supportedSchemas`, or fewer under the
    /// test hook `DUTY_COLLECTOR_MAX_SCHEMA` (a collector of before version 3, for the agent's
    /// fallback tests). Not a file key.
    var supportedSchemas: ClosedRange<Int> = DaySummary.supportedSchemas

    /// `maxBodyKB` in bytes.
    var maxBodyBytes: Int { maxBodyKB * 1024 }

    /// Whether `host` is a loopback address (or `localhost`), which plain HTTP may always use.
    var listensOnLoopbackOnly: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }
}

/// `[server] tls_cert` and `tls_key`: PEM files, absolute paths.
struct TLSFiles: Sendable, Equatable {
    /// The certificate, followed by any intermediate certificates.
    var certificate: String
    /// The private key of the first certificate.
    var key: String
    /// The lines of `tls_cert` and `tls_key` in the config file, for errors found when the files are read.
    var certificateLine: Int? = nil
    var keyLine: Int? = nil
    /// Set by `DUTY_COLLECTOR_TLS_CERT` and `DUTY_COLLECTOR_TLS_KEY` rather than the file (errors name those).
    var fromEnvironment = false
}

/// `[console]`: sign-in sessions of the HR console.
struct ConsoleSettings: Sendable, Equatable {
    /// `idle_minutes`: a session unused this long ends.
    var idleMinutes: Int = 30
    /// `absolute_hours`: a session ends this long after sign-in, however busy.
    var absoluteHours: Int = 12
    /// `secure_cookies`: mark the session cookie `Secure` (set when the console is reached over HTTPS
    /// through a TLS proxy; always on when `[server] tls_cert` serves HTTPS itself).
    var secureCookies: Bool = false
    /// The bcrypt work factor of passwords set from now on (no key: 12; the tests lower it).
    var bcryptCost: UInt8 = 12
}

/// `[review]`: the time limit of HR review (限时办结).
struct ReviewSettings: Sendable, Equatable {
    /// `review_days`: an anomaly still open this many working days after its date is overdue.
    var reviewDays: Int = 5
    /// `holidays`: the holiday-cn calendars read, nil without the key: working days are then
    /// Monday to Friday.
    var holidays: ReviewHolidays? = nil

    /// The latest business date whose open anomalies are overdue on `today`.
    func overdueThrough(today: CivilDate) -> CivilDate {
        WorkingDays.overdueThrough(today: today, reviewDays: reviewDays, holidays: holidays?.calendar)
    }
}

/// `[review] holidays`: the calendar the time limit counts working days with, and the files it was
/// read from (as the config named them, relative to its folder) for the pages that say how working
/// days are counted. One value, so there is never a calendar without its files or files without it.
struct ReviewHolidays: Sendable, Equatable {
    /// The files' calendars, merged.
    var calendar: HolidayCalendar
    var files: [String]
}

/// `[database] url`: where the collector keeps its data.
enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file (absolute path).
    case sqlite(path: String)
    /// A PostgreSQL URL (`postgres://user:password@host:5432/db`).
    case postgres(url: String)

    /// Parses `sqlite:FILE` (relative to `directory`), `sqlite:///abs/file` or `postgres://…`/`postgresql://…`;
    /// nil for anything else.
    init?(url: String, relativeTo directory: URL) {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { return nil }
            self = .sqlite(path: path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path)
        } else {
            return nil
        }
    }

    /// `text` with the password of any `scheme://user:password@host` masked, for echoing a URL that
    /// was refused: the text may be a mistyped PostgreSQL URL that still carries a real password.
    static func masked(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let authorityEnd = text[scheme.upperBound...].firstIndex(of: "/") ?? text.endIndex
        guard let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// The location with any password masked, for logs and error messages.
    var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "postgres://…" }
            if parts.password != nil { parts.password = "***" }
            return parts.string ?? "postgres://…"
        }
    }
}

/// `[[reviewer]]`: an HR reviewer allowed to read and review.
struct Reviewer: Sendable, Equatable {
    /// `name`: who the reviewer is; recorded as `by` when a decision does not say.
    var name: String
    /// `token_hash`: hex SHA-256 of the reviewer's token (`duty-collector reviewers token` prints one).
    var tokenHash: String
}

/// Token hashing shared by agents, reviewers and the admin.
enum TokenHash {
    /// Hex SHA-256 of the token's UTF-8 bytes.
    static func of(_ token: String) -> String {
        // Hand-rolled hex: `String(format:)` costs microseconds a byte on Linux, and this runs per request.
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in SHA256.hash(data: Data(token.utf8)) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A new random token: 32 bytes from the system's secure generator, base64url without padding.
    static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `text` looks like a hex SHA-256 (64 hex digits).
    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
