import Foundation
import Logging
import Shared

/// Follows the inputs, judges the duty instances in progress with `DutyWatch` and queues what is new.
///
/// The badge files are followed as the day scanner follows them, with a journal of its own
/// (`BadgeJournal`): a change reads only the lines appended since (an ADMS journal on every pushed
/// punch, an attlog export), a replaced, rotated or truncated file is read again, and only the
/// punches `DutyWatch` reads are held (from the day before yesterday on). The other inputs are read
/// again when their size or time changes; the config is parsed again only when it may have changed
/// (`ConfigCache`).
actor DutyAlertJudge {
    let configPath: String
    let queue: AlertQueue
    let settings: AlertsConfig
    let lastSeen: any ReaderLastSeen
    let logger: Logger
    private var configCache: ConfigCache
    private var journal: BadgeJournal?
    /// The stamps of the inputs other than the badge files when `office` was loaded.
    private var others: [String: FileStamp] = [:]
    private var badgeFiles: [InputFile] = []
    private var office: Office?
    private var lastPrune: Date?

    init(configPath: String, queue: AlertQueue, settings: AlertsConfig, lastSeen: any ReaderLastSeen, logger: Logger) {
        self.configPath = configPath
        self.queue = queue
        self.settings = settings
        self.lastSeen = lastSeen
        self.logger = logger
        configCache = ConfigCache(path: configPath)
    }

    /// Bytes read from the badge files so far, and how many times the config was parsed.
    var bytesRead: Int64 { journal?.bytesRead ?? 0 }
    var configParses: Int { configCache.parses }
    /// Punches held of the badge files.
    var heldPunches: Int { journal?.heldPunches ?? 0 }

    /// One judging at `now`; returns how many alert files were queued.
    @discardableResult
    func judge(now: Date = Date()) async throws -> Int {
        let config = try configCache.load(now: now)
        let zone = config.site.timeZone
        let localNow = Office.localNow(in: zone, at: now)
        try follow(config, now: now, localNow: localNow)
        guard let office else { return 0 }
        let limits = await lastSeen.offlineLimits()
        var offline: [DutyAlert] = []
        for (reader, last) in await lastSeen.lastCalls().sorted(by: { $0.key < $1.key }) {
            // Every reader with a last call has a device, and so a limit ([alerts] offline_minutes is ignored).
            guard let limit = limits[reader], now.timeIntervalSince(last) > limit else { continue }
            offline += DutyWatch.offlineReaders(site: config.site.id, lastCalls: [reader: Office.localNow(in: zone, at: last)],
                                                now: localNow, offlineMinutes: Int(limit / 60))
        }
        let duty = DutyWatch.judge(office.input, now: localNow, offlineReaders: Set(offline.compactMap(\.reader)))
        let alerts = (duty + offline).enumerated().sorted { ($0.element.due, $0.offset) < ($1.element.due, $1.offset) }
            .map(\.element)
        let written = try await queue.enqueue(alerts, now: now)
        if lastPrune.map({ now.timeIntervalSince($0) > 3_600 }) ?? true {
            await queue.prune(keepDays: settings.keepDays, now: now)
            lastPrune = now
        }
        return written
    }

    /// Brings `office` up to date: the appended badge lines, the other inputs when they changed.
    private func follow(_ config: AgentConfig, now: Date, localNow: LocalDateTime) throws {
        let need = DutyWatch.firstPunchDate(now: localNow)
        let badges = config.inputs.badges
        var journal = self.journal ?? BadgeJournal(holdingFrom: need)
        let before = journal.bytesRead
        let changed: CivilDate?
        var rebuilt = false
        do {
            if let from = journal.heldFrom, need < from {
                // The clock went back past what is held: read what is needed again.
                try journal.rebuild(from: need, files: badges)
                rebuilt = true
            }
            changed = try journal.refresh(badges, now: now)
        } catch {
            // A file half read: start over from the files next time.
            self.journal = nil
            office = nil
            throw error
        }
        let trimmed = journal.heldFrom.map { need > $0 } ?? false
        if trimmed { journal.trim(from: need) }
        self.journal = journal
        let stamps = InputScanner.fileStamps(config: config, configPath: configPath)
        let held = journal
        let readout: @Sendable (InputFile, Int32) -> BadgeFileReadout = { file, index in held.readout(of: file, index: index) }
        if office == nil || stamps != others || badges != badgeFiles {
            office = try Office.load(config, now: now, badges: readout)
            others = stamps
            badgeFiles = badges
        } else if changed != nil || trimmed || rebuilt {
            var punches = PunchTable()
            for (i, file) in badges.enumerated() { punches += readout(file, Int32(i)).punches }
            office!.input.punches = punches
        }
        if journal.bytesRead != before {
            logger.debug("alert inputs read", metadata: ["duty.bytes_read": "\(journal.bytesRead - before)",
                                                         "duty.held_punches": "\(journal.heldPunches)"])
        }
    }

    /// What the input watcher compares: the config's, the inputs' and the badge files' sizes and
    /// times (`stat` only; the config is parsed again only when `cache` finds it may have changed).
    static func stamps(_ cache: inout ConfigCache, now: Date = Date()) -> [String: FileStamp]? {
        guard let config = try? cache.load(now: now) else { return nil }
        var stamps = InputScanner.fileStamps(config: config, configPath: cache.path)
        for file in config.inputs.badges { stamps[file.url.path] = FileStamp(file.url) }
        return stamps
    }
}
