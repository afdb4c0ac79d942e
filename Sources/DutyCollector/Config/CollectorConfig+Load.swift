import ConfigSupport
import Foundation
import Shared
import TOMLKit

extension CollectorConfig {
    /// Reads the configuration and refuses it if anything in it is wrong.
    ///
    /// Keys read from the file (all optional, every one documented in docs/collector.md):
    /// `[server]` `host`, `port`, `max_body_kb`, `tls_cert`, `tls_key`, `allow_plain_http`,
    /// `idle_timeout_s`, `body_timeout_s`, `max_connections`, `max_connections_per_address`;
    /// `database.url`; `auth.admin_token_file`; `[[reviewer]] name, token_hash`; `[console]`;
    /// `[review]`; `[bulletin]`. Then the environment: `DUTY_COLLECTOR_HOST`, `DUTY_COLLECTOR_PORT`,
    /// `DUTY_COLLECTOR_DATABASE_URL`, `DUTY_COLLECTOR_ADMIN_TOKEN`, `DUTY_COLLECTOR_MAX_BODY_KB`,
    /// `DUTY_COLLECTOR_TLS_CERT` with `DUTY_COLLECTOR_TLS_KEY`, `DUTY_COLLECTOR_ALLOW_PLAIN_HTTP`, and
    /// the test hook `DUTY_COLLECTOR_MAX_SCHEMA`.
    ///
    /// - Parameters:
    ///   - path: the config file; nil runs on defaults (SQLite in the current folder).
    ///   - environment: the process environment (a parameter so tests can pass their own).
    ///   - currentDirectory: where relative paths go when there is no file.
    /// - Throws: `LocatedErrors` with every problem of the file and the environment, each naming
    ///   the file and line (or the variable) and the key.
    static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                     currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> CollectorConfig
    {
        let (config, problems) = check(path: path, environment: environment, currentDirectory: currentDirectory)
        guard let config, problems.isEmpty else { throw LocatedErrors(problems) }
        return config
    }

    /// Reads the configuration and lists every problem found in the file and the environment
    /// (`duty-collector validate`), in line order, the environment's last. `config` is nil when
    /// there is any problem.
    static func check(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                      currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> (config: CollectorConfig?, problems: [ConfigError])
    {
        var config: CollectorConfig
        var problems: [ConfigError] = []
        if let path {
            let url = URL(fileURLWithPath: path, relativeTo: currentDirectory).standardizedFileURL
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                return (nil, [ConfigError(file: path, message: "is a folder; name the collector's TOML config file")])
            }
            let text: String
            do {
                let data = try Data(contentsOf: url)
                guard let s = String(data: data, encoding: .utf8) else {
                    return (nil, [ConfigError(file: path, message: "the config file is not UTF-8 text")])
                }
                text = s
            } catch {
                return (nil, [ConfigError(file: path, message: "cannot read the config file (\(Self.reason(error)))")])
            }
            var parser = CollectorConfigParser(file: path, directory: url.deletingLastPathComponent(), text: text)
            let parsed = parser.parse()
            problems = parser.problems
            // The environment is checked even when the file is not TOML, so that one run lists both.
            config = parsed ?? .defaults(directory: url.deletingLastPathComponent())
            problems += config.applyEnvironment(environment)
            if parsed == nil { return (nil, LocatedErrors.sorted(problems)) }
        } else {
            config = .defaults(directory: currentDirectory)
            problems = config.applyEnvironment(environment)
        }
        // A collector that serves HTTPS itself never sends its session cookie over plain HTTP.
        if config.server.tls != nil { config.console.secureCookies = true }
        return (problems.isEmpty ? config : nil, LocatedErrors.sorted(problems))
    }

    /// Applies the `DUTY_COLLECTOR_*` overrides that are good and returns a problem for each bad
    /// one (which leaves the setting as the file had it).
    mutating func applyEnvironment(_ environment: [String: String]) -> [ConfigError] {
        var problems: [ConfigError] = []
        func fail(_ name: String, _ message: String) {
            problems.append(ConfigError(file: "environment", key: name, message: message))
        }
        if let host = environment["DUTY_COLLECTOR_HOST"] {
            if host.isEmpty { fail("DUTY_COLLECTOR_HOST", "must not be empty") } else { server.host = host }
        }
        if let text = environment["DUTY_COLLECTOR_PORT"] {
            if let port = Int(text), (0...65535).contains(port) {
                server.port = port
            } else {
                fail("DUTY_COLLECTOR_PORT", "must be a whole number from 0 to 65535, got \"\(text)\"")
            }
        }
        if let text = environment["DUTY_COLLECTOR_MAX_BODY_KB"] {
            if let kb = Int(text), kb > 0 {
                server.maxBodyKB = kb
            } else {
                fail("DUTY_COLLECTOR_MAX_BODY_KB", "must be a positive whole number, got \"\(text)\"")
            }
        }
        // A test hook: behave as a collector that reads day summaries only up to this version.
        if let text = environment["DUTY_COLLECTOR_MAX_SCHEMA"] {
            let lowest = DaySummary.supportedSchemas.lowerBound
            if let top = Int(text), DaySummary.supportedSchemas.contains(top) {
                server.supportedSchemas = lowest...top
            } else {
                fail("DUTY_COLLECTOR_MAX_SCHEMA", "must be a whole number from \(lowest) to \(DaySummary.supportedSchemas.upperBound), got \"\(text)\"")
            }
        }
        let cert = environment["DUTY_COLLECTOR_TLS_CERT"], key = environment["DUTY_COLLECTOR_TLS_KEY"]
        if cert != nil || key != nil {
            if let cert, let key, !cert.isEmpty, !key.isEmpty {
                func resolve(_ path: String) -> String {
                    path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path
                }
                server.tls = TLSFiles(certificate: resolve(cert), key: resolve(key), fromEnvironment: true)
            } else {
                fail(cert == nil || cert?.isEmpty == true ? "DUTY_COLLECTOR_TLS_CERT" : "DUTY_COLLECTOR_TLS_KEY",
                     "DUTY_COLLECTOR_TLS_CERT and DUTY_COLLECTOR_TLS_KEY go together (PEM files)")
            }
        }
        if let text = environment["DUTY_COLLECTOR_ALLOW_PLAIN_HTTP"] {
            if let flag = ["true": true, "false": false, "1": true, "0": false][text.lowercased()] {
                server.allowPlainHTTP = flag
            } else {
                fail("DUTY_COLLECTOR_ALLOW_PLAIN_HTTP", "must be true or false, got \"\(text)\"")
            }
        }
        if let text = environment["DUTY_COLLECTOR_DATABASE_URL"] {
            if let location = DatabaseLocation(url: text, relativeTo: directory) {
                database = location
            } else {
                fail("DUTY_COLLECTOR_DATABASE_URL", "must be sqlite:FILE or postgres://…, got \"\(DatabaseLocation.masked(text))\"")
            }
        }
        if let token = environment["DUTY_COLLECTOR_ADMIN_TOKEN"] {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count >= 16 {
                adminTokenHash = TokenHash.of(trimmed)
            } else {
                fail("DUTY_COLLECTOR_ADMIN_TOKEN", "must be at least 16 characters")
            }
        }
        return problems
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? CocoaError, e.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}
