import Foundation
import Shared

/// The month's bulletins as last built, for the console's bulletin page and downloads and
/// `GET /api/v1/bulletin`: building one reads the roll-ups of the month and the month before, the
/// per-person tallies and every serious anomaly of the month (0.3-0.9 s with 100,000 people), while
/// the data behind it changes a few times a day.
///
/// A built bulletin is reused only while the store's `dataStamp` of the month and the month before
/// (summaries, review decisions, agents) is the one read before it was built, and on the same
/// business date (completeness and 限时办结 count to "today"); otherwise it is built again (see
/// `StampedCache`). The bulletin's `generatedAt` is the time it was built: the page shows it as
/// "as of". The page may show the bulletin built before the latest summaries arrived, saying so,
/// while the new one is built; the downloads and the API always wait for the current one.
struct BulletinCache: Sendable {
    let cache: StampedCache

    /// Keeps at most `capacity` bulletins (month × scope), dropping the least recently used.
    init(capacity: Int = 64, patience: Duration = StampedCache.defaultPatience) {
        cache = StampedCache(capacity: capacity, patience: patience)
    }

    /// How many bulletins were built and how many reused (for the tests).
    var builds: Int { get async { await cache.builds } }
    var hits: Int { get async { await cache.hits } }
    var olderServed: Int { get async { await cache.olderServed } }

    /// The bulletin of `month` for `under`, from the cache while the data behind it is unchanged.
    func bulletin(month: ReportMonth, under: UnitPath?, store: any CollectorStore, settings: BulletinSettings,
                  review: ReviewSettings?, now: Date) async throws -> Bulletin {
        try await answer(month: month, under: under, store: store, settings: settings, review: review, now: now).value
    }

    /// The same, or with `olderAllowed` the one built before summaries that arrived since (not
    /// `current`; see `StampedCache`), for a page that says when its bulletin was built.
    func answer(month: ReportMonth, under: UnitPath?, store: any CollectorStore, settings: BulletinSettings,
                review: ReviewSettings?, now: Date, olderAllowed: Bool = false) async throws -> StampedCache.Answer<Bulletin> {
        let today = BulletinBuilder.localDate(of: now, in: settings.zone)
        // The scope last: a unit's name may hold any character.
        let key = "bulletin|\(month)|\(today)|" + (under.map { "unit:" + $0.description } ?? "all")
        // Read before building: a change made while it is built gives the next request another stamp.
        let stamp = try await store.dataStamp(from: month.previous.first, to: month.last).stamp(withContact: true)
        return try await cache.value(for: key, stamp: stamp, olderAllowed: olderAllowed) {
            try await BulletinBuilder.build(month: month.description, under: under, store: store, settings: settings,
                                            review: review, now: now)
        }
    }
}
