import Foundation
import Logging
import Shared

/// Reads the inputs when they changed (the same files and fingerprint as the day scanner), judges the
/// duty instances in progress with `DutyWatch` and queues what is new.
actor DutyAlertJudge {
    let configPath: String
    let queue: AlertQueue
    let settings: AlertsConfig
    let lastSeen: any ReaderLastSeen
    let logger: Logger
    private var fingerprint: [String: FileStamp] = [:]
    private var office: Office?
    private var lastPrune: Date?

    init(configPath: String, queue: AlertQueue, settings: AlertsConfig, lastSeen: any ReaderLastSeen, logger: Logger) {
        self.configPath = configPath
        self.queue = queue
        self.settings = settings
        self.lastSeen = lastSeen
        self.logger = logger
    }

    /// One judging at `now`; returns how many alert files were queued.
    @discardableResult
    func judge(now: Date = Date()) async throws -> Int {
        let config = try AgentConfig.load(path: configPath)
        let stamps = InputScanner.stampsWithBadges(config: config, configPath: configPath)
        if office == nil || stamps != fingerprint {
            office = try Office.load(config)
            fingerprint = stamps
        }
        guard let office else { return 0 }
        let zone = config.site.timeZone
        let localNow = Office.localNow(in: zone, at: now)
        let limits = await lastSeen.offlineLimits()
        var offline: [DutyAlert] = []
        for (reader, last) in await lastSeen.lastCalls().sorted(by: { $0.key < $1.key }) {
            let limit = limits[reader] ?? TimeInterval(settings.offlineMinutes * 60)
            guard now.timeIntervalSince(last) > limit else { continue }
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

    /// The input files' fingerprint now, for the watcher.
    static func stamps(configPath: String) -> [String: FileStamp]? {
        guard let config = try? AgentConfig.load(path: configPath) else { return nil }
        return InputScanner.stampsWithBadges(config: config, configPath: configPath)
    }
}
