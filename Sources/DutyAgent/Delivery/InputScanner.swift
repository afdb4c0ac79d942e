import Foundation
import Logging
import Shared

/// Reads the office's inputs when they changed, decides dates and offers their summaries to the spool.
///
/// The inputs are read again when the config file or any input file appeared, vanished, or changed
/// size or modification time, when the settle delay decided another date, or when the local date changed. In between, the last
/// summaries are offered again, which costs a digest comparison and re-spools a date whose spool file
/// was found corrupt.
actor InputScanner {
    /// What one scan did.
    struct Outcome: Sendable, Equatable {
        /// Whether the inputs were read (false when nothing changed).
        var read = false
        var decided = 0
        var undecided: [CivilDate] = []
        /// Revisions written to the spool, as `date rN`.
        var spooled: [String] = []
        /// Why the spool took no more (full); later dates wait.
        var full: String?
    }

    let configPath: String
    let spool: Spool
    let logger: Logger
    private var fingerprint: [String: FileStamp] = [:]
    private var settled: CivilDate?
    private var today: CivilDate?
    private var summaries: [DaySummary] = []
    private var undecided: [CivilDate] = []

    init(configPath: String, spool: Spool, logger: Logger) {
        self.configPath = configPath
        self.spool = spool
        self.logger = logger
    }

    /// One scan at `now`. Throws an `InputError` when the config or an input file cannot be read
    /// (the daemon logs it and tries again at the next scan).
    func scan(now: Date = Date()) async throws -> Outcome {
        var outcome = Outcome()
        let config = try AgentConfig.load(path: configPath)
        let stamps = Self.stamps(config: config, configPath: configPath, now: now)
        let settleMinutes = config.collector?.settleMinutes ?? 30
        let localNow = Office.localNow(in: config.site.timeZone, at: now)
        let settledNow = DayDecision.settledThrough(config.shifts, now: localNow, settleMinutes: settleMinutes)
        if stamps != fingerprint || settledNow != settled || localNow.date != today {
            let office = try Office.load(config)
            let historyDays = config.collector?.historyDays ?? AgentConfigParser.defaultHistoryDays
            let decision = DayDecision.decide(office, now: now, settleMinutes: settleMinutes, historyDays: historyDays)
            if let older = decision.olderPunchesFrom, let start = decision.range?.lowerBound {
                logger.notice("punches older than history_days left out", metadata: [
                    "duty.first_punch": "\(older)", "duty.history_start": "\(start)", "duty.history_days": "\(historyDays)"])
            }
            fingerprint = stamps
            settled = settledNow
            today = localNow.date
            summaries = decision.summaries
            undecided = decision.undecided
            outcome.read = true
            if let silence = SiteSilence.of(office, now: localNow) {
                logger.warning("no punch from any reader for more than a day: the exports may have stopped",
                               metadata: ["duty.last_punch": "\(silence.lastPunch.map(\.description) ?? "none")",
                                          "duty.silent_hours": "\(silence.hours)"])
            }
            logger.debug("inputs read", metadata: ["duty.decided": "\(summaries.count)", "duty.undecided": "\(undecided.count)"])
        }
        outcome.decided = summaries.count
        outcome.undecided = undecided
        for summary in summaries {
            switch try await spool.offer(summary) {
            case .unchanged: continue
            case .spooled(let revision): outcome.spooled.append("\(summary.date) r\(revision)")
            case .full(let reason):
                outcome.full = reason
                logger.critical("spool full: new days wait", metadata: ["duty.date": "\(summary.date)", "duty.reason": "\(reason)"])
            }
            if outcome.full != nil { break }
        }
        return outcome
    }

    /// Size and modification time of the config file and every input it names.
    static func stamps(config: AgentConfig, configPath: String, now: Date = Date()) -> [String: FileStamp] {
        let inputs = config.inputs
        let files = [URL(fileURLWithPath: configPath), inputs.people.url] + inputs.badges.map(\.url)
            + [inputs.roster?.url, inputs.leaves?.url, inputs.transfers?.url].compactMap { $0 } + inputs.holidays.map(\.url)
        var stamps: [String: FileStamp] = [:]
        for url in files { stamps[url.path] = FileStamp(url) }
        if let adms = config.adms {
            // The devices' state changes on every call; only its outages, clock drift and the devices
            // offline now change a judgement.
            let state = (try? ADMSDeviceState.read(adms.stateFile)) ?? ADMSDeviceState()
            let offline = ADMSDeviceState.outages(state, config: adms, zone: config.site.timeZone, now: now).filter { $0.to == nil }
            stamps[adms.stateFile.path] = FileStamp(size: state.judgementStamp, modified: nil)
            stamps[adms.stateFile.path + "#offline"] = FileStamp(size: Int64(offline.count),
                                                                  modified: offline.map { Date(timeIntervalSince1970: Double($0.from.seconds)) }.max())
        }
        return stamps
    }
}

/// A file's size and modification time, to notice that it changed.
struct FileStamp: Hashable, Sendable {
    var size: Int64
    var modified: Date?

    init(size: Int64, modified: Date?) {
        self.size = size
        self.modified = modified
    }

    init?(_ url: URL) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = attributes[.modificationDate] as? Date
    }
}
