import ConfigSupport
import Foundation
import TOMLKit

/// Turns the text of `collector.toml` into a `CollectorConfig`, rejecting unknown keys and bad
/// values with the file, line and key.
struct CollectorConfigParser {
    let file: String
    let directory: URL
    let text: String
    private let locator: TOMLKeyLocator

    /// Prepares to parse `text`, read from `file` in `directory`.
    init(file: String, directory: URL, text: String) {
        self.file = file
        self.directory = directory
        self.text = text
        self.locator = TOMLKeyLocator(text: text)
    }

    /// The configuration; throws the first problem.
    func parse() throws -> CollectorConfig {
        let document = try TOMLDocument.parse(text: text, file: file)
        let root = document.root
        var config = CollectorConfig.defaults(directory: directory)
        config.file = file
        try allow(root, ["server", "database", "auth", "reviewer", "bulletin", "console", "review"], in: nil)

        if let server = try table(root, "server") {
            try allow(server, ["host", "port", "max_body_kb", "tls_cert", "tls_key", "allow_plain_http", "idle_timeout_s",
                               "body_timeout_s", "max_connections", "max_connections_per_address"], in: "server")
            if let host = try string(server, "host", in: "server") {
                guard !host.isEmpty else { throw problem("server.host", "must not be empty") }
                config.server.host = host
            }
            if let port = try int(server, "port", in: "server") {
                guard (0...65535).contains(port) else { throw problem("server.port", "must be from 0 to 65535, got \(port)") }
                config.server.port = port
            }
            if let kb = try int(server, "max_body_kb", in: "server") {
                guard kb > 0 else { throw problem("server.max_body_kb", "must be positive, got \(kb)") }
                config.server.maxBodyKB = kb
            }
            let cert = try string(server, "tls_cert", in: "server")
            let key = try string(server, "tls_key", in: "server")
            switch (cert, key) {
            case (let cert?, let key?):
                config.server.tls = TLSFiles(certificate: resolve(cert), key: resolve(key),
                                             certificateLine: locator.line(of: "server.tls_cert"),
                                             keyLine: locator.line(of: "server.tls_key"))
            case (nil, nil): break
            case (nil, _): throw problem("server.tls_key", "needs server.tls_cert too")
            case (_, nil): throw problem("server.tls_cert", "needs server.tls_key too")
            }
            if let value = server["allow_plain_http"] {
                guard let flag = value.bool else { throw problem("server.allow_plain_http", "must be true or false") }
                config.server.allowPlainHTTP = flag
            }
            let counts: [(String, WritableKeyPath<ServerSettings, Int>, ClosedRange<Int>)] = [
                ("idle_timeout_s", \ServerSettings.idleTimeoutSeconds, 1...3600),
                ("body_timeout_s", \ServerSettings.bodyTimeoutSeconds, 1...3600),
                ("max_connections", \ServerSettings.maxConnections, 1...1_000_000),
                ("max_connections_per_address", \ServerSettings.maxConnectionsPerAddress, 1...1_000_000),
            ]
            for (key, path, range) in counts {
                if let n = try int(server, key, in: "server") {
                    guard range.contains(n) else {
                        throw problem("server.\(key)", "must be from \(range.lowerBound) to \(range.upperBound), got \(n)")
                    }
                    config.server[keyPath: path] = n
                }
            }
        }
        if let database = try table(root, "database") {
            try allow(database, ["url"], in: "database")
            if let url = try string(database, "url", in: "database") {
                guard let location = DatabaseLocation(url: url, relativeTo: directory) else {
                    throw problem("database.url", "must be sqlite:FILE or postgres://…, got \"\(url)\"")
                }
                config.database = location
            }
        }
        if let auth = try table(root, "auth") {
            try allow(auth, ["admin_token_file"], in: "auth")
            if let path = try string(auth, "admin_token_file", in: "auth") {
                config.adminTokenHash = TokenHash.of(try readToken(path, key: "auth.admin_token_file"))
            }
        }
        if let value = root["reviewer"] {
            guard let array = value.array else { throw problem("reviewer", "must be [[reviewer]] tables") }
            for (i, element) in array.enumerated() {
                let key = "reviewer[\(i + 1)]"
                guard let t = element.table else { throw problem(key, "must be a table") }
                try allow(t, ["name", "token_hash"], in: key)
                guard let name = try string(t, "name", in: key), !name.isEmpty else { throw problem("\(key).name", "is required") }
                guard let hash = try string(t, "token_hash", in: key) else { throw problem("\(key).token_hash", "is required") }
                guard TokenHash.isHash(hash.lowercased()) else {
                    throw problem("\(key).token_hash", "must be 64 hex digits (the SHA-256 of the token)")
                }
                config.reviewers.append(Reviewer(name: name, tokenHash: hash.lowercased()))
            }
        }
        try parseConsole(root, into: &config)
        config.bulletin = try BulletinSettings(document: document)
        return config
    }

    /// `[console]` and `[review]`.
    private func parseConsole(_ root: TOMLTable, into config: inout CollectorConfig) throws {
        if let console = try table(root, "console") {
            try allow(console, ["idle_minutes", "absolute_hours", "secure_cookies"], in: "console")
            if let minutes = try int(console, "idle_minutes", in: "console") {
                guard (1...1440).contains(minutes) else { throw problem("console.idle_minutes", "must be from 1 to 1440, got \(minutes)") }
                config.console.idleMinutes = minutes
            }
            if let hours = try int(console, "absolute_hours", in: "console") {
                guard (1...168).contains(hours) else { throw problem("console.absolute_hours", "must be from 1 to 168, got \(hours)") }
                config.console.absoluteHours = hours
            }
            if let value = console["secure_cookies"] {
                guard let secure = value.bool else { throw problem("console.secure_cookies", "must be true or false") }
                config.console.secureCookies = secure
            }
        }
        if let review = try table(root, "review") {
            try allow(review, ["review_days"], in: "review")
            if let days = try int(review, "review_days", in: "review") {
                guard (1...60).contains(days) else { throw problem("review.review_days", "must be from 1 to 60 working days, got \(days)") }
                config.review.reviewDays = days
            }
        }
    }

    // MARK: Helpers

    private func problem(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: locator.line(of: key), key: key, message: message)
    }

    private func path(_ key: String, in table: String?) -> String { table.map { "\($0).\(key)" } ?? key }

    private func allow(_ table: TOMLTable, _ keys: Set<String>, in name: String?) throws {
        for key in table.keys.sorted() where !keys.contains(key) {
            throw problem(path(key, in: name), "unknown key (expected one of: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    private func table(_ root: TOMLTable, _ key: String) throws -> TOMLTable? {
        guard let value = root[key] else { return nil }
        guard let t = value.table else { throw problem(key, "must be a table ([\(key)])") }
        return t
    }

    private func string(_ table: TOMLTable, _ key: String, in name: String?) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw problem(path(key, in: name), "must be a string") }
        return s
    }

    private func int(_ table: TOMLTable, _ key: String, in name: String?) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard value.type == .int, let n = value.int else { throw problem(path(key, in: name), "must be a whole number") }
        return n
    }

    /// An absolute path: `path` itself, or relative to the config's folder.
    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path
    }

    /// Reads a token file relative to the config's folder; the token is its trimmed content.
    private func readToken(_ path: String, key: String) throws -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw problem(key, "cannot read the token file \(url.path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else { throw problem(key, "the token in \(url.path) must be at least 16 characters") }
        return token
    }
}
