import ConfigSupport
import Foundation
import Shared

/// The agent's configuration, read from its TOML file (see `docs/config.md`).
///
/// Every path is already resolved against the config file's folder; globs are expanded.
struct AgentConfig: Sendable {
    /// The config file as the user named it (used in error messages).
    var file: String
    /// The folder holding the config file; input paths are relative to it.
    var directory: URL
    var site: SiteConfig
    var inputs: InputsConfig
    /// `[rules]`: the defaults each shift starts from.
    var rules: RuleSettings
    /// `[[shift]]` in file order, each with its rules merged.
    var shifts: [Shift]
    var schedules: [Schedule]
    var readers: [ReaderConfig]
    /// `[collector]`, nil when the agent does not push.
    var collector: CollectorConfig?
    /// `[alerts]` and `[[alert]]`, nil when the agent sends no live alerts.
    var alerts: AlertsConfig? = nil
    /// `[adms]`, nil when no reader pushes.
    var adms: ADMSConfig? = nil
    /// Where each key is in the file, for errors found after parsing (`validate`).
    var keyLines: TOMLKeyLocator
    /// Keys accepted but without effect (deprecated): `validate` and `run` say so, nothing fails.
    var warnings: [InputError] = []

    /// The shifts by code.
    var shiftsByCode: [String: Shift] { Dictionary(shifts.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }) }

    /// Reads and checks the config at `path`; throws the first problem found as an `InputError`.
    static func load(path: String) throws -> AgentConfig {
        let readout = check(path: path)
        if let first = readout.problems.first { throw first }
        guard let config = readout.config else {
            throw InputError(file: path, message: "the configuration could not be read")
        }
        return config
    }

    /// Reads the config at `path` and reports every problem found, not just the first.
    ///
    /// `config` is nil when a problem prevents building one.
    static func check(path: String) -> (config: AgentConfig?, problems: [InputError]) {
        let text: String
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return (nil, [InputError(file: path, message: "is a folder; name the agent's TOML config file")])
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let s = String(data: data, encoding: .utf8) else {
                return (nil, [InputError(file: path, message: "the config file is not UTF-8 text")])
            }
            text = s
        } catch {
            return (nil, [InputError(file: path, message: "cannot read the config file: \(Self.reason(error))")])
        }
        var parser = AgentConfigParser(file: path, text: text)
        let config = parser.parse()
        let problems = parser.problems.enumerated().sorted {
            ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset)
        }.map(\.element)
        return (problems.isEmpty ? config : nil, problems)
    }

    private static func reason(_ error: any Error) -> String {
        if let e = error as? CocoaError, e.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}

/// `[site]`.
struct SiteConfig: Sendable, Hashable {
    /// `id`: the agent's id at the collector; part of every anomaly's stable id.
    var id: String
    /// `name`: a display name; `id` when not given.
    var name: String
    /// `timezone`: the IANA zone of the site's wall-clock times (default Asia/Shanghai).
    var timeZone: TimeZone
}

/// One input file found for a config path or glob.
struct InputFile: Sendable, Hashable {
    /// Where it is.
    var url: URL
    /// The path relative to the config file's folder, as reports show it.
    var display: String
    /// The format it is known to be in (an ADMS journal, read up to its last line end: the receiver
    /// may be appending to it); nil detects it from the content.
    var format: BadgeFormat? = nil
}

/// `[inputs]`, with globs expanded to files.
struct InputsConfig: Sendable {
    var people: InputFile
    /// Every badge file matched by the `badges` globs, in pattern order then name order, no duplicates.
    var badges: [InputFile]
    var roster: InputFile?
    var leaves: InputFile?
    /// `transfers`: moves of people between units (CSV `person,date,unit`).
    var transfers: InputFile? = nil
    var holidays: [InputFile]
    /// `workweek`: the usual working days (default Monday to Friday).
    var workweek: Set<Weekday>
}

/// `[collector]`: where and how the agent pushes day summaries.
struct CollectorConfig: Sendable, Hashable {
    /// `url`: the collector's base URL.
    var url: URL
    /// `token_file`: a file holding the agent's token (the environment variable DUTY_AGENT_TOKEN overrides it).
    var tokenFile: URL?
    /// `spool`: the folder where summaries wait until the collector has them (default `spool`).
    var spool: URL
    /// `spool_max_mb`: the spool's size limit (default 256).
    var spoolMaxMB: Int
    /// `settle_minutes`: how long after the end of a date's last possible window `run` decides it even when a reader has not reported past it (default 30).
    var settleMinutes: Int
    /// `scan_seconds`: how often the daemon looks for new input (default 60).
    var scanSeconds: Int
    /// `history_days`: how many dates back, today included, `run` and `push` decide (default 366).
    var historyDays: Int = AgentConfigParser.defaultHistoryDays
    /// `ca_file`, `client_cert`, `client_key`: how `https://` is verified and who the agent is.
    var tls = CollectorTLS()
    /// `allow_plain_http`: whether `http://` may carry the token to a host that is not this machine.
    var allowPlainHTTP = false
}

/// The agent's TLS settings for `https://` collector URLs.
struct CollectorTLS: Sendable, Hashable {
    /// `ca_file`: PEM certificates trusted instead of the system's trust store (a private CA).
    var caFile: URL?
    /// `client_cert` / `client_key`: a PEM certificate (chain) and key presented to the collector (mutual TLS).
    var clientCert: URL?
    var clientKey: URL?
}
