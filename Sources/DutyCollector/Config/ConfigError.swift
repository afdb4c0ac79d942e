import Foundation

/// A problem with the collector's configuration, naming where it is: the file and line (or the
/// environment variable) and the key.
struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// The config file as the user named it, or `environment` for an environment variable.
    var file: String
    /// The 1-based line of the key, when known.
    var line: Int?
    /// The key (`server.port`, `reviewer[2].token_hash`) or the variable (`DUTY_COLLECTOR_PORT`).
    var key: String?
    var message: String

    init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `collector.toml:4: server.port: must be a whole number from 1 to 65535, got "http"`.
    var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let key { s += "\(key): " }
        return s + message
    }
}
