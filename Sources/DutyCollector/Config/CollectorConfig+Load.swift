import Foundation
import TOMLKit

extension CollectorConfig {
    /// Reads the configuration.
    ///
    /// Keys read from the file (all optional): `server.host`, `server.port`, `server.max_body_kb`,
    /// `server.tls_cert`, `server.tls_key`, `server.allow_plain_http`, `server.idle_timeout_s`,
    /// `server.body_timeout_s`, `server.max_connections`, `server.max_connections_per_address`,
    /// `database.url`, `auth.admin_token_file`, `[[reviewer]] name, token_hash`,
    /// `bulletin.repeat_late_early`. Then the environment: `DUTY_COLLECTOR_HOST`, `DUTY_COLLECTOR_PORT`,
    /// `DUTY_COLLECTOR_DATABASE_URL`, `DUTY_COLLECTOR_ADMIN_TOKEN`, `DUTY_COLLECTOR_MAX_BODY_KB`,
    /// `DUTY_COLLECTOR_TLS_CERT` with `DUTY_COLLECTOR_TLS_KEY`, `DUTY_COLLECTOR_ALLOW_PLAIN_HTTP`.
    ///
    /// - Parameters:
    ///   - path: the config file; nil runs on defaults (SQLite in the current folder).
    ///   - environment: the process environment (a parameter so tests can pass their own).
    ///   - currentDirectory: where relative paths go when there is no file.
    /// - Throws: `ConfigError` naming the file, line and key (or the variable) of the first problem.
    static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                     currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> CollectorConfig
    {
        var config: CollectorConfig
        if let path {
            let url = URL(fileURLWithPath: path, relativeTo: currentDirectory).standardizedFileURL
            let text: String
            do {
                let data = try Data(contentsOf: url)
                guard let s = String(data: data, encoding: .utf8) else {
                    throw ConfigError(file: path, message: "the config file is not UTF-8 text")
                }
                text = s
            } catch let e as ConfigError {
                throw e
            } catch {
                throw ConfigError(file: path, message: "cannot read the config file (\(Self.reason(error)))")
            }
            config = try CollectorConfigParser(file: path, directory: url.deletingLastPathComponent(), text: text).parse()
        } else {
            config = .defaults(directory: currentDirectory)
        }
        try config.applyEnvironment(environment)
        // A collector that serves HTTPS itself never sends its session cookie over plain HTTP.
        if config.server.tls != nil { config.console.secureCookies = true }
        return config
    }

    /// Applies the `DUTY_COLLECTOR_*` overrides.
    mutating func applyEnvironment(_ environment: [String: String]) throws {
        func error(_ name: String, _ message: String) -> ConfigError {
            ConfigError(file: "environment", key: name, message: message)
        }
        if let host = environment["DUTY_COLLECTOR_HOST"] {
            guard !host.isEmpty else { throw error("DUTY_COLLECTOR_HOST", "must not be empty") }
            server.host = host
        }
        if let text = environment["DUTY_COLLECTOR_PORT"] {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw error("DUTY_COLLECTOR_PORT", "must be a whole number from 0 to 65535, got \"\(text)\"")
            }
            server.port = port
        }
        if let text = environment["DUTY_COLLECTOR_MAX_BODY_KB"] {
            guard let kb = Int(text), kb > 0 else {
                throw error("DUTY_COLLECTOR_MAX_BODY_KB", "must be a positive whole number, got \"\(text)\"")
            }
            server.maxBodyKB = kb
        }
        let cert = environment["DUTY_COLLECTOR_TLS_CERT"], key = environment["DUTY_COLLECTOR_TLS_KEY"]
        if cert != nil || key != nil {
            guard let cert, let key, !cert.isEmpty, !key.isEmpty else {
                throw error(cert == nil ? "DUTY_COLLECTOR_TLS_CERT" : "DUTY_COLLECTOR_TLS_KEY",
                            "DUTY_COLLECTOR_TLS_CERT and DUTY_COLLECTOR_TLS_KEY go together (PEM files)")
            }
            func resolve(_ path: String) -> String {
                path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path
            }
            server.tls = TLSFiles(certificate: resolve(cert), key: resolve(key), fromEnvironment: true)
        }
        if let text = environment["DUTY_COLLECTOR_ALLOW_PLAIN_HTTP"] {
            guard let flag = ["true": true, "false": false, "1": true, "0": false][text.lowercased()] else {
                throw error("DUTY_COLLECTOR_ALLOW_PLAIN_HTTP", "must be true or false, got \"\(text)\"")
            }
            server.allowPlainHTTP = flag
        }
        if let text = environment["DUTY_COLLECTOR_DATABASE_URL"] {
            guard let location = DatabaseLocation(url: text, relativeTo: directory) else {
                throw error("DUTY_COLLECTOR_DATABASE_URL", "must be sqlite:FILE or postgres://…, got \"\(text)\"")
            }
            database = location
        }
        if let token = environment["DUTY_COLLECTOR_ADMIN_TOKEN"] {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count >= 16 else {
                throw error("DUTY_COLLECTOR_ADMIN_TOKEN", "must be at least 16 characters")
            }
            adminTokenHash = TokenHash.of(trimmed)
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let e = error as? CocoaError, e.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}
