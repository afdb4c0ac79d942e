import ConfigSupport

/// A problem with the collector's configuration, naming where it is: the file and line (or the
/// environment variable) and the key; `collector.toml:4: server.port: must be a whole number from
/// 1 to 65535, got "http"`. The one located-error type of `ConfigSupport`, shared with the agent.
typealias ConfigError = LocatedError

/// Every problem of one reading of the configuration (file and environment), one a line; what
/// `CollectorConfig.load` throws and `duty-collector validate` prints.
typealias ConfigErrors = LocatedErrors

extension LocatedError {
    /// A problem with `key` (or the variable) in `file`.
    init(file: String, line: Int? = nil, key: String?, message: String) {
        self.init(file: file, line: line, field: key, message: message)
    }

    /// The key or the variable.
    var key: String? { field }
}
