import Foundation
import Hummingbird
import Shared

/// `/`: the month so far for the user's scope: figures per unit as a tree with the month-on-month
/// change, open and overdue reviews, agents late or silent. A staff user goes to their own page.
///
/// Every figure comes from the store's SQL roll-ups and counts; nothing loads the month's anomalies.
struct OverviewRoute: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let zone: TimeZone
    let review: ReviewSettings
    let cache: StampedCache
    let clock: @Sendable () -> Date

    /// The kinds shown as columns (the two missing punches share one).
    static let columns: [(key: String, kinds: [AnomalyKind])] = [
        ("late", [.late]), ("earlyLeave", [.earlyLeave]), ("absent", [.absent]), ("missing", [.missingIn, .missingOut]),
        ("offPost", [.offPost]),
    ]

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("/") { request, context in try await overview(request, context) }
    }

    private func overview(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity else { throw HTTPError(.notFound) }
        if user.role == .staff { return .redirect(to: "/me", type: .found) }
        let language = context.language
        let vocabulary = Vocabulary(language)
        let today = businessDate(of: clock(), in: zone)
        let thisMonth = ReportMonth(containing: today)
        // `?month=YYYY-MM` looks back at an earlier month (never ahead of this one).
        let month = request.uri.queryParameters["month"].flatMap { ReportMonth(String($0)) }
            .flatMap { $0.first <= today ? $0 : nil } ?? thisMonth
        let through = min(month.last, today)

        // The figures change only with summaries, reviews and agents added or revoked: kept
        // (`StampedCache`) while the store's stamp of the month and the month before is unchanged,
        // on the same business date; the agents' contact times, which move with every push, are no
        // part of them. After new summaries the figures computed before them are shown at once,
        // saying so, while the current ones are computed for the next request.
        async let healthQuery = store.agentHealth(from: today.adding(days: -7), to: today.adding(days: -1))
        let answer = try await Self.figures(user: user, store: store, cache: cache, month: month, today: today,
                                            review: review, clock: clock, olderAllowed: true)
        let figures = answer.value
        let (current, previous) = (figures.current, figures.previous)
        let previousByUnit = Dictionary(previous.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let topDepth = current.map(\.unit.components.count).min() ?? 1
        let rows: [[String: Any]] = current.map { figures in
            let charged = figures.kinds.values.reduce(0) { $0 + $1.count }
            let rate = Self.rate(charged, figures.scheduled)
            let before = previousByUnit[figures.unit]
            let beforeRate = before.map { Self.rate($0.kinds.values.reduce(0) { $0 + $1.count }, $0.scheduled) } ?? nil
            var row: [String: Any] = [
                "unit": figures.unit.description,
                "name": figures.unit.components.last ?? figures.unit.description,
                "indent": max(0, figures.unit.components.count - topDepth),
                "scheduled": figures.scheduled, "present": figures.present, "charged": charged,
                "rate": rate.map { Self.format($0) } ?? "—",
                "href": "/units?month=\(month)&unit=" + ConsoleLinks.queryEscape(figures.unit.description),
            ]
            row["cells"] = Self.columns.map { column in
                ["count": column.kinds.reduce(0) { $0 + (figures.kinds[$1]?.count ?? 0) }]
            }
            if let rate, let beforeRate {
                let change = rate - beforeRate
                row["change"] = (change > 0 ? "+" : "") + Self.format(change)
                row["changeClass"] = change > 0.05 ? "up" : (change < -0.05 ? "down" : "flat")
            } else {
                row["change"] = "—"
                row["changeClass"] = "flat"
            }
            return row
        }
        let health = try await healthQuery.filter { $0.agent.revokedAt == nil && user.sees(agent: $0.agent) }
        let now = clock()
        let agents: [[String: Any]] = health.compactMap { h in
            let expected = (1...7).map { today.adding(days: -$0) }
            let missing = expected.filter { !h.datesReceived.contains($0) }.sorted()
            let silent = h.agent.lastContact.map { now.timeIntervalSince($0) > 48 * 3600 } ?? true
            guard silent || !missing.isEmpty else { return nil }
            return [
                "id": h.agent.id,
                "units": h.agent.unitPrefixes.map(\.description).joined(separator: "、"),
                "lastContact": h.agent.lastContact.map { ConsoleFormat.time($0, zone: zone) }
                    ?? ConsoleText.text("never", language),
                "missing": missing.map { ConsoleFormat.shortDate($0) }.joined(separator: " "),
                "state": ConsoleText.text(silent ? "agentSilent" : "agentLate", language),
                "stateClass": silent ? "confirmed" : "open",
            ]
        }

        var model = PageModel.base(request, context, titleKey: "overview", section: "home")
        model["month"] = ConsoleFormat.month(month, language)
        model["through"] = ConsoleFormat.date(through, language)
        model["previousMonth"] = "/?month=\(month.previous)"
        if month != thisMonth {
            let next = ReportMonth(containing: month.last.adding(days: 1))
            model["nextMonth"] = next == thisMonth ? "/" : "/?month=\(next)"
        }
        model["kindHeads"] = Self.columns.map { column in
            ["label": column.key == "missing" ? ConsoleText.text("missing", language) : vocabulary.kind(column.kinds[0])]
        }
        model["units"] = rows
        model["hasUnits"] = !rows.isEmpty
        model["open"] = figures.open
        model["overdue"] = figures.overdue
        model["suspected"] = figures.suspected
        model["suspectedLabel"] = vocabulary.suspected
        model["suspectedHref"] = "/reviews?state=open&suspected=only&from=\(month.first)&to=\(through)"
        model["reviewDays"] = review.reviewDays
        model["workingDaysRule"] = ConsoleText.workingDaysRule(review, language)
        model["openHref"] = "/reviews?state=open&suspected=none&from=\(month.first)&to=\(through)"
        model["overdueHref"] = OverdueFigure.queueLink(month: month, today: today, review: review)
        model["agents"] = agents
        model["agentsOK"] = agents.isEmpty
        if !answer.current { model["olderAsOf"] = ConsoleFormat.time(figures.computedAt, zone: zone) }
        return pages.page("overview", model)
    }

    /// The overview's figures of `month` for `user`'s scope on the business date `today`, from
    /// `cache` while the store's stamp of the month and the month before is unchanged: the page's,
    /// and `FigureWarmer`'s, which builds them before the day's first request.
    static func figures(user: ConsoleUser, store: any CollectorStore, cache: StampedCache, month: ReportMonth,
                        today: CivilDate, review: ReviewSettings, clock: @escaping @Sendable () -> Date,
                        olderAllowed: Bool) async throws -> StampedCache.Answer<Figures> {
        let through = min(month.last, today)
        let stamp = try await store.dataStamp(from: month.previous.first, to: month.last).stamp(withContact: false)
        let key = "overview|\(month)|\(today)|" + user.scopeKey
        return try await cache.value(for: key, stamp: stamp, olderAllowed: olderAllowed) {
            try await Figures.load(user: user, store: store, month: month, through: through, today: today, review: review,
                                   now: clock())
        }
    }

    /// The overview's figures for one scope, month and business date: per unit for the month so far
    /// and the whole month before, open reviews, suspicions and overdue ones (the bulletin's figure).
    struct Figures: Sendable {
        var current: [UnitFigures]
        var previous: [UnitFigures]
        var open: Int
        var suspected: Int
        var overdue: Int
        /// When they were computed (shown when they are older than the data).
        var computedAt: Date

        static func load(user: ConsoleUser, store: any CollectorStore, month: ReportMonth, through: CivilDate,
                         today: CivilDate, review: ReviewSettings, now: Date) async throws -> Figures {
            async let currentQuery = user.unitFigures(store: store, from: month.first, to: through)
            async let previousQuery = user.unitFigures(store: store, from: month.previous.first, to: month.previous.last)
            var open = user.anomalyFilter
            open.state = .open
            open.includeLeaveExcused = false
            var openThisMonth = open
            openThisMonth.from = month.first
            openThisMonth.to = through
            // Suspicions are counted apart (存疑待核 N): they charge nobody until HR confirms them.
            var suspectedThisMonth = openThisMonth
            suspectedThisMonth.suspected = true
            openThisMonth.suspected = false
            let (openFilter, suspectedFilter, scope) = (openThisMonth, suspectedThisMonth, user.anomalyFilter)
            async let openCount = store.countAnomalies(openFilter)
            async let suspectedCount = store.countAnomalies(suspectedFilter)
            // The same figure as the month's bulletin (page, downloads, command, API).
            async let overdueCount = OverdueFigure.count(store, scope: scope, month: month, today: today, review: review)
            return Figures(current: try await currentQuery, previous: try await previousQuery, open: try await openCount,
                           suspected: try await suspectedCount, overdue: try await overdueCount, computedAt: now)
        }
    }

    /// Charged anomalies per 100 scheduled person-days; nil when nothing was scheduled.
    static func rate(_ charged: Int, _ scheduled: Int) -> Double? {
        scheduled > 0 ? Double(charged) * 100 / Double(scheduled) : nil
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Dates and times as the pages show them.
enum ConsoleFormat {
    static func date(_ date: CivilDate, _ language: Language) -> String {
        let c = date.components
        return language == .zh ? "\(c.year)年\(c.month)月\(c.day)日" : date.description
    }

    static func shortDate(_ date: CivilDate) -> String {
        let c = date.components
        return "\(c.month)/\(c.day)"
    }

    static func month(_ month: ReportMonth, _ language: Language) -> String {
        language == .zh ? "\(month.year)年\(month.month)月" : month.description
    }

    /// `yyyy-MM-dd HH:mm` in `zone`.
    static func time(_ instant: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: instant)
    }

    static func weekday(_ date: CivilDate, _ language: Language) -> String { weekdayName(date.weekday, language) }

    static func weekdayName(_ weekday: Weekday, _ language: Language) -> String {
        let zh = ["mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五", "sat": "周六", "sun": "周日"]
        return language == .zh ? zh[weekday.rawValue] ?? "" : weekday.rawValue.capitalized
    }
}
