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
        let root: TOMLTable
        do {
            root = try TOMLText.parse(text)
        } catch {
            throw ConfigError(file: file, line: error.line, message: "not valid TOML: \(error.description)")
        }
        var config = CollectorConfig.defaults(directory: directory)
        config.file = file
        try allow(root, ["server", "database", "auth", "reviewer", "bulletin"], in: nil)

        if let server = try table(root, "server") {
            try allow(server, ["host", "port", "max_body_kb"], in: "server")
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
        do {
            config.bulletin = try BulletinSettings(toml: text, file: file)
        } catch let e as BulletinSettingsError {
            throw ConfigError(file: file, line: e.key.flatMap { locator.line(of: $0) }, key: e.key, message: e.message)
        }
        return config
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
