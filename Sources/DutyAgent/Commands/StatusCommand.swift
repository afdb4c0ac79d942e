import ArgumentParser
import Foundation
import Shared

/// `duty-agent status`: what is decided, pending and waiting, the last contact with the collector,
/// what was set aside and why, and how full the spool is. Reads only; safe beside a running daemon.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the delivery state: decided, pending and waiting days, last contact, set-aside summaries.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: ConfigOptions

    @Option(help: "text or json.")
    var format: Format = .text

    /// The JSON document of `--format json` (snake_case keys, like every JSON of both programs).
    struct Document: Codable {
        /// Nil without `[collector]` (an agent that only sends alerts or receives readers).
        var spool: SpoolReport?
        /// Dates of the inputs' range not decided yet (data not complete); nil when the inputs could not be read.
        var pending: [CivilDate]?
        var inputsError: String?
        /// Set when the whole site has recorded no punch for more than a day (an export that stopped).
        var silence: SiteSilence?
        /// Set when punches older than `history_days` were left out: what and from when.
        var history: String?
        /// The readers that push (`[adms]`): devices, last calls, clock drift, refused serials.
        var adms: ADMSStatus?
        /// The live alerts' queue per target, when `[[alert]]` targets are configured.
        var alerts: AlertsReport?
    }

    func run() async throws {
        let config: AgentConfig
        do { config = try AgentConfig.load(path: options.config) } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        let alerts = config.alerts.flatMap { $0.targets.isEmpty ? nil : AlertsReport.read($0) }
        guard config.collector != nil || config.adms != nil || alerts != nil else {
            printError("error: \(options.config): no [collector], no [[alert]] and no [adms] section; "
                       + "this agent neither pushes, alerts nor receives")
            throw ExitCode.failure
        }
        var document = Document(spool: config.collector.map {
            SpoolReport.read(folder: $0.spool, maxBytes: Int64($0.spoolMaxMB) * 1024 * 1024)
        })
        document.adms = config.adms.map { ADMSStatus.of($0, now: Date()) }
        document.alerts = alerts
        if let collector = config.collector { do {
            let office = try Office.load(config)
            let now = Date()
            let decision = DayDecision.decide(office, now: now, settleMinutes: collector.settleMinutes,
                                              historyDays: collector.historyDays)
            document.pending = decision.undecided
            if let older = decision.olderPunchesFrom, let start = decision.range?.lowerBound {
                document.history = "punches from \(older) on are in the inputs; dates before \(start) are not decided "
                    + "(history_days = \(collector.historyDays))"
            }
            document.silence = SiteSilence.of(office, now: Office.localNow(in: config.site.timeZone, at: now))
        } catch {
            document.inputsError = "\(error)"
        } }
        switch format {
        case .json:
            print(try Self.json(document))
        case .text:
            print(Self.text(document), terminator: "")
        }
    }

    /// The JSON form: snake_case keys (the spool's own state file keeps its keys).
    static func json(_ document: Document) throws -> String {
        let encoder = DaySummary.canonicalEncoder
        encoder.outputFormatting.insert(.prettyPrinted)
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    /// `1 date`, `2 dates`.
    static func dates(_ n: Int) -> String { n == 1 ? "1 date" : "\(n) dates" }

    /// The text form, one fact a line.
    static func text(_ d: Document) -> String {
        var out = ""
        func line(_ text: String) { out += text + "\n" }
        guard let s = d.spool else { return (d.adms?.text ?? "") + (d.alerts?.text ?? "") }
        let state = s.state
        if let silence = d.silence { line(silence.sentence) }
        let dates = state.dates.keys.sorted()
        line("decided:  \(Self.dates(dates.count))" + (dates.isEmpty ? "" : " (\(dates.first!) … \(dates.last!))")
             + ", \(s.acknowledgedDates) acknowledged by the collector")
        if let pending = d.pending {
            line("pending:  \(Self.dates(pending.count)) (data not complete)"
                 + (pending.isEmpty ? "" : ": " + pending.map(\.description).joined(separator: ", ")))
        } else if let error = d.inputsError {
            line("pending:  unknown, the inputs could not be read: \(error)")
        }
        if let history = d.history { line("history:  \(history)") }
        line("waiting:  \(s.waiting.count) \(s.waiting.count == 1 ? "summary" : "summaries") to send" + (s.waiting.isEmpty ? "" : ": " + s.waiting.joined(separator: ", ")))
        let formatter = ISO8601DateFormatter()
        if let contact = state.lastContact {
            line("last contact with the collector: \(formatter.string(from: contact)) (\(state.lastContactResult ?? "-"))")
        } else {
            line("last contact with the collector: never")
        }
        if let failure = state.lastFailure { line("last failure: \(failure)") }
        if let blocked = state.blocked { line("SENDING STOPPED: \(blocked)") }
        if let full = state.full { line("SPOOL FULL: \(full); no new day is taken until space returns") }
        line("spool:    \(s.folder): \(s.usedBytes / 1024) KiB used of \(s.maxBytes / 1024 / 1024) MiB"
             + (s.setAsideBytes > 0 ? "; \(s.setAsideBytes / 1024) KiB set aside in rejected/ and corrupt/ (not counted)" : ""))
        if !s.setAside.isEmpty {
            line("set aside (refused by the collector, kept in rejected/):")
            for item in s.setAside { line("  \(item.file): \(item.reason)") }
        }
        if !s.corrupt.isEmpty {
            line("corrupt files set aside in corrupt/ (their dates were derived again): " + s.corrupt.joined(separator: ", "))
        }
        if let adms = d.adms { out += adms.text }
        if let alerts = d.alerts { out += alerts.text }
        return out
    }
}
