import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Builds the figures of the HR console's first pages before anyone asks for them, so that the
/// first person in the morning does not wait for them: when `serve` starts, and again each time
/// the business date turns (midnight in the bulletin's zone, by the server's clock), for the
/// overview and the bulletin of the current and of the previous month (the one HR finishes
/// reviewing and publishes in the first days of a month).
///
/// Warmed for the scopes of the enabled `admin` and `hr` accounts (at most `maxScopes` distinct
/// ones; a manager's one-unit pages are fast to build) and always for the whole organisation's
/// bulletin (also `GET /api/v1/bulletin`'s). The figures go into the same `FigureCaches` under the
/// same keys and stamps as the pages', so a request made while one is being built shares that build,
/// and what is served is exactly what the page would have built: the warmer changes when figures
/// are computed, never which.
struct FigureWarmer: Service {
    let store: any CollectorStore
    let caches: FigureCaches
    let settings: BulletinSettings
    let review: ReviewSettings
    let clock: @Sendable () -> Date
    let logger: Logger

    /// The most scopes warmed (a bureau has a few HR officers; each scope's figures are one build).
    static let maxScopes = 16
    /// The most months of decided anomalies warmed after a decision besides the current and the
    /// previous one (a decision on many anomalies of a long period: the latest months).
    static let maxDecidedMonths = 3

    func run() async throws {
        // A review decision made in the console warms the figures again (see `WarmRequests`).
        await caches.warmups.install { [self] months in await warm(now: clock(), first: months) }
        // A failed warm-up costs only the speed of a first page: logged, never fatal to `serve`.
        try? await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                await warm(now: clock())
                let wait = Self.untilNextDate(after: clock(), zone: settings.zone)
                try await Task.sleep(for: .seconds(wait))
            }
        }
    }

    /// Builds (or finds already built) the figures of the business date of `now` for the current
    /// and the previous month, and for the months of `first` (those of the anomalies just decided:
    /// the officer's next page is most likely of that month, whichever it is; at most
    /// `maxDecidedMonths`); returns how many were warmed. Each one in turn, so that the pages being
    /// served keep the other core; a month's overviews, then its bulletins, the months of `first`
    /// before the others, so that the page asked for while they are built finds its build under
    /// way and waits for it rather than starting its own beside it.
    @discardableResult
    func warm(now: Date, first: Set<ReportMonth> = []) async -> Int {
        let today = businessDate(of: now, in: settings.zone)
        let month = ReportMonth(containing: today)
        let users: [ConsoleUser]
        do {
            users = try await Self.scopes(store.users())
        } catch {
            logger.warning("console figures not warmed: cannot read the users", metadata: ["error": "\(error)"])
            users = []
        }
        var done = 0
        var bulletinScopes: [UnitPath?] = [nil]
        for user in users {
            let under = user.units?.first
            if !bulletinScopes.contains(under) { bulletinScopes.append(under) }
        }
        let clock = clock
        // The months decided first, even one older than the month before (an anomaly of two months
        // ago decided today: the officer's next page is of its month), the latest ones if many.
        var months = first.filter { $0.first <= today }.sorted { $0.first > $1.first }.prefix(Self.maxDecidedMonths).map { $0 }
        for shown in [month, month.previous] where !months.contains(shown) { months.append(shown) }
        for shown in months {
            for user in users {
                let warmed = await attempt("overview", shown) {
                    _ = try await OverviewRoute.figures(user: user, store: store, cache: caches.pages, month: shown,
                                                        today: today, review: review, clock: clock, olderAllowed: false)
                }
                if warmed { done += 1 }
            }
            for under in bulletinScopes {
                let warmed = await attempt("bulletin", shown) {
                    _ = try await caches.bulletins.bulletin(month: shown, under: under, store: store, settings: settings,
                                                            review: review, now: now)
                }
                if warmed { done += 1 }
            }
        }
        logger.info("console figures warmed", metadata: ["duty.date": "\(today)", "duty.figures": "\(done)"])
        return done
    }

    private func attempt(_ what: String, _ month: ReportMonth, _ build: () async throws -> Void) async -> Bool {
        do {
            try await build()
            return true
        } catch {
            logger.warning("console figures not warmed", metadata: ["duty.figures": "\(what) \(month)", "error": "\(error)"])
            return false
        }
    }

    /// The distinct scopes of the enabled admin and HR accounts, the whole organisation first.
    static func scopes(_ accounts: [UserAccount]) -> [ConsoleUser] {
        var seen = Set<String>()
        var users: [ConsoleUser] = []
        let reviewers = accounts.filter { !$0.isDisabled && ($0.role == .admin || $0.role == .hr) }
            .map { ConsoleUser(account: $0, csrf: "") }
            .sorted { ($0.units == nil ? 0 : 1, $0.account.id) < ($1.units == nil ? 0 : 1, $1.account.id) }
        for user in reviewers where users.count < maxScopes && seen.insert(user.scopeKey).inserted {
            users.append(user)
        }
        return users
    }

    /// Seconds from `now` to one second past the next midnight in `zone`.
    static func untilNextDate(after now: Date, zone: TimeZone) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: now)
        let next = calendar.date(byAdding: .day, value: 1, to: start) ?? now.addingTimeInterval(86_400)
        return max(1, next.timeIntervalSince(now) + 1)
    }
}

/// Asks `FigureWarmer` to compute the console's first pages again after a review decision made
/// through this collector (console or API), in the background, so that the HR officer who decided finds the overview and the
/// bulletin that include it already computed (the page waits for them either way: a decision is
/// never shown late). Requests made while a warm-up runs are one more warm-up after it, not one
/// each; without a warmer installed (tests, commands) nothing happens.
actor WarmRequests {
    private var warm: (@Sendable (Set<ReportMonth>) async -> Void)?
    /// The months of the decisions made since the warm-up under way started (nil: none).
    private var again: Set<ReportMonth>?
    private var running: Task<Void, Never>?

    /// `warm` is given the months of the anomalies decided, to warm first.
    func install(_ warm: @escaping @Sendable (Set<ReportMonth>) async -> Void) {
        self.warm = warm
    }

    /// Anomalies of `months` were decided: warm the figures again (once more after the warm-up
    /// under way, if any).
    func request(months: Set<ReportMonth>) {
        guard let warm else { return }
        if running != nil {
            again = (again ?? []).union(months)
            return
        }
        running = Task {
            await warm(months)
            self.finished()
        }
    }

    private func finished() {
        running = nil
        if let months = again {
            again = nil
            request(months: months)
        }
    }

    /// Waits for the warm-ups asked for so far (for the tests, and before the database closes).
    func settle() async {
        while let running {
            await running.value
        }
    }
}
