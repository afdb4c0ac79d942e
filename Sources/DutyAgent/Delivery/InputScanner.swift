import Foundation
import Logging
import Shared

/// Reads the office's inputs when they changed, decides dates and offers their summaries to the spool.
///
/// Badge files are read incrementally (`BadgeJournal`): each file's offset and identity are kept,
/// only the complete lines appended since are read, and a file that was replaced, rotated or
/// truncated is read again from its start. Only the dates that can have changed are judged again:
/// from the earliest undecided date, the day after the last scan's date, or 32 days before the
/// earliest date a changed line concerns (reliance on a reader looks 30 days after a date when
/// there is no history before it), whichever is earliest. Only the punches needed for that are
/// held: from 33 days before it, plus `slackDays` for late punches; an older date to judge makes the
/// files read again, chunk by chunk, keeping only what it needs.
///
/// Any other input (config, people, holidays, roster, leaves, transfers) changing makes every date
/// of `history_days` judged again, as does a first scan without saved state. The cursors and what the
/// last judging left undecided are saved atomically in the spool folder (`inputs.json`) after
/// every judging whose summaries all reached the spool; a restart resumes from them. A state that is
/// missing, unreadable, for another config, or next to a spool that has dates to derive again at
/// opening (a corrupt or missing spool file), is ignored: the history is judged again whole, and the spool keeps only the revisions that differ.
///
/// In between, the last summaries are offered again, which costs a digest comparison and re-spools a
/// date whose spool file was found corrupt.
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
        /// The dates judged this time (nil when none).
        var judged: ClosedRange<CivilDate>?
    }

    /// Days held before what is judged, so that a punch up to this late needs no reading again.
    static let slackDays = 31
    /// Days before a judged date whose punches it needs: 30 of reliance history, the day before.
    static let lookBackDays = 33
    /// Days before a changed date whose judging it can change (reliance looks 30 days ahead).
    static let lookAheadDays = 32

    let configPath: String
    let spool: Spool
    let logger: Logger
    private var journal = BadgeJournal()
    private var others: [String: FileStamp]?
    private var settled: CivilDate?
    private var today: CivilDate?
    private var undecidedFrom: CivilDate?
    private var restored = false
    private var lastOfferFull = false
    private var summaries: [DaySummary] = []
    private var undecided: [CivilDate] = []

    init(configPath: String, spool: Spool, logger: Logger) {
        self.configPath = configPath
        self.spool = spool
        self.logger = logger
    }

    var stateURL: URL { spool.folder.appendingPathComponent("inputs.json") }

    /// One scan at `now`. Throws an `InputError` when the config or an input file cannot be read
    /// (the daemon logs it and tries again at the next scan).
    func scan(now: Date = Date()) async throws -> Outcome {
        var outcome = Outcome()
        let started = ContinuousClock.now
        let config = try AgentConfig.load(path: configPath)
        if !restored { restore() }
        let stamps = Self.stamps(config: config, configPath: configPath, now: now)
        let settleMinutes = config.collector?.settleMinutes ?? 30
        let localNow = Office.localNow(in: config.site.timeZone, at: now)
        let settledNow = DayDecision.settledThrough(config.shifts, now: localNow, settleMinutes: settleMinutes)
        let badges = config.inputs.badges
        let changedFrom: CivilDate?
        do {
            changedFrom = try journal.refresh(badges, now: now)
        } catch {
            // A file half read: its cursor may be part-way; start over from the files next time.
            journal = BadgeJournal()
            others = nil
            throw error
        }
        if stamps != others || changedFrom != nil || settledNow != settled || localNow.date != today {
            let historyDays = config.collector?.historyDays ?? AgentConfigParser.defaultHistoryDays
            let historyStart = DayDecision.historyStart(today: localNow.date, historyDays: historyDays)
            var from = localNow.date
            if stamps != others || today == nil {
                from = historyStart
            } else {
                if let undecidedFrom { from = min(from, undecidedFrom) }
                if let today { from = min(from, today.adding(days: 1)) }
                if let changedFrom { from = min(from, changedFrom.adding(days: -Self.lookAheadDays)) }
            }
            if let firstPunch = journal.firstPlausible { from = max(from, max(firstPunch, historyStart)) }
            from = min(from, localNow.date)
            let need = from.adding(days: -Self.lookBackDays)
            if journal.heldFrom.map({ need < $0 }) ?? true {
                try journal.rebuild(from: need.adding(days: -Self.slackDays), files: badges)
            }
            var office = try Office.load(config, now: now,
                                         badges: { [journal] file, index in journal.readout(of: file, index: index) })
            office.dating = journal.dating(badges)
            if let first = journal.firstPlausible, let range = office.punchDates { office.punchDates = first...range.upperBound }
            let decision = DayDecision.decide(office, now: now, settleMinutes: settleMinutes, historyDays: historyDays,
                                              judgeFrom: from)
            if let older = decision.olderPunchesFrom, let start = decision.range?.lowerBound {
                logger.notice("punches older than history_days left out", metadata: [
                    "duty.first_punch": "\(older)", "duty.history_start": "\(start)", "duty.history_days": "\(historyDays)"])
            }
            others = stamps
            settled = settledNow
            today = localNow.date
            // Summaries that did not reach a full spool are kept until they do.
            let kept = lastOfferFull ? summaries.filter { s in decision.judged.map { s.date < $0.lowerBound } ?? true } : []
            summaries = kept + decision.summaries
            undecided = decision.undecided
            undecidedFrom = decision.undecided.first
            outcome.read = true
            outcome.judged = decision.judged
            if let silence = SiteSilence.of(office, now: localNow) {
                logger.warning("no punch from any reader for more than a day: the exports may have stopped",
                               metadata: ["duty.last_punch": "\(silence.lastPunch.map(\.description) ?? "none")",
                                          "duty.silent_hours": "\(silence.hours)"])
            }
            let elapsed = ContinuousClock.now - started
            let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            logger.debug("inputs read", metadata: ["duty.decided": "\(summaries.count)", "duty.undecided": "\(undecided.count)",
                                                   "duty.judged_from": "\(from)", "duty.scan_ms": "\(ms)",
                                                   "duty.held_punches": "\(journal.heldPunches)"])
            // What the next judging can need: the earliest undecided date's look-back, with slack.
            let next = min(undecidedFrom ?? localNow.date, localNow.date)
            journal.trim(from: next.adding(days: -(Self.lookAheadDays + Self.lookBackDays + Self.slackDays)))
        }
        outcome.decided = summaries.count
        outcome.undecided = undecided
        var full = false
        for summary in summaries {
            switch try await spool.offer(summary) {
            case .unchanged: continue
            case .spooled(let revision): outcome.spooled.append("\(summary.date) r\(revision)")
            case .full(let reason):
                outcome.full = reason
                full = true
                logger.critical("spool full: new days wait", metadata: ["duty.date": "\(summary.date)", "duty.reason": "\(reason)"])
            }
            if outcome.full != nil { break }
        }
        lastOfferFull = full
        if outcome.read && !full { save() }
        return outcome
    }

    /// What a restart resumes from: the badge cursors and the last judging.
    struct SavedState: Codable {
        var version = 1
        var configPath: String
        var others: [String: FileStamp]
        var cursors: [String: BadgeCursor]
        var today: Int
        var settled: Int?
        var undecidedFrom: Int?
    }

    private func restore() {
        restored = true
        guard spool.problemsAtOpen.isEmpty, !spool.derivesAgainAtOpen, let data = try? Data(contentsOf: stateURL),
              let state = try? JSONDecoder().decode(SavedState.self, from: data),
              state.version == 1, state.configPath == configPath else { return }
        journal.cursors = state.cursors
        others = state.others
        today = CivilDate(dayNumber: state.today)
        settled = state.settled.map(CivilDate.init(dayNumber:))
        undecidedFrom = state.undecidedFrom.map(CivilDate.init(dayNumber:))
    }

    private func save() {
        guard let others, let today else { return }
        let state = SavedState(configPath: configPath, others: others, cursors: journal.cursors, today: today.dayNumber,
                               settled: settled?.dayNumber, undecidedFrom: undecidedFrom?.dayNumber)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try DurableFile.write(try encoder.encode(state), to: stateURL)
        } catch {
            // Without it a restart judges the whole history again: slower, never wrong.
            logger.warning("cannot save the input state", metadata: ["duty.file": "\(stateURL.path)", "duty.error": "\(error)"])
        }
    }

    /// Size and modification time of the config file and every input it names except the badge
    /// files (which a journal follows): `stat` only.
    static func fileStamps(config: AgentConfig, configPath: String) -> [String: FileStamp] {
        let inputs = config.inputs
        let files = [URL(fileURLWithPath: configPath), inputs.people.url]
            + [inputs.roster?.url, inputs.leaves?.url, inputs.transfers?.url].compactMap { $0 } + inputs.holidays.map(\.url)
        var stamps: [String: FileStamp] = [:]
        for url in files { stamps[url.path] = FileStamp(url) }
        return stamps
    }

    /// `fileStamps`, and what of the ADMS devices' state changes a judgement.
    static func stamps(config: AgentConfig, configPath: String, now: Date = Date()) -> [String: FileStamp] {
        var stamps = fileStamps(config: config, configPath: configPath)
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
struct FileStamp: Hashable, Sendable, Codable {
    var size: Int64
    var modified: Date?

    init(size: Int64, modified: Date?) {
        self.size = size
        self.modified = modified
    }

    /// One `stat` (not `FileManager`'s attributes, which look up the owner's name too).
    init?(_ url: URL) {
        guard let id = BadgeJournal.identity(url.path) else { return nil }
        size = id.size
        modified = Date(timeIntervalSince1970: id.modified)
    }
}
