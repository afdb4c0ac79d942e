import Foundation

/// Whether the collector was found to read only day summaries of versions 1 and 2.
///
/// A collector older than version 3 answers a summary carrying `day_punches` with 400
/// `unsupported_schema`. The sender then sends the same revision without them and remembers, for
/// `holdSeconds` (a day) or until the agent restarts, that this collector is older, so that it does
/// not offer version 3 on every summary; after that it tries version 3 again once (an upgraded
/// collector then gets every punch of the day with the next summary).
actor CollectorSchemaMemory {
    /// How long a refusal of version 3 is remembered: a day.
    static let holdSeconds: TimeInterval = 86_400
    private var olderSince: Date?

    init() {}

    /// Whether summaries should be sent without `day_punches` at `now`.
    func collectorIsOlder(at now: Date) -> Bool {
        guard let since = olderSince else { return false }
        if now.timeIntervalSince(since) >= Self.holdSeconds {
            olderSince = nil
            return false
        }
        return true
    }

    /// The collector refused version 3 at `now`; true when this is news (so the caller logs it once).
    func noteOlder(at now: Date) -> Bool {
        let news = olderSince == nil
        olderSince = now
        return news
    }
}
