import Foundation
import Shared

/// Builds the monthly bulletin from the store's SQL aggregations.
///
/// The figures come from `unitFigures` for the month and for the month before (the store rolls
/// descendants up and leaves excused anomalies out); repeat cases from per-person counts; serious
/// cases from the month's serious and critical anomalies; completeness from `agentHealth`. Nothing
/// here loops over the month's anomaly rows, so the cost grows with units and offenders, not with
/// people.
///
/// Rates are per 100 judged person-days (scheduled less unverified): a day no reader recorded is
/// no data, not a day without anomalies, so it neither dilutes a rate nor flatters a unit.
///
/// Ranking: units are ranked among their siblings by their score, the charged anomalies of every
/// kind per 100 judged person-days, highest (severest) first; units whose scores print the same
/// share a rank (1, 1, 3) and are listed by the higher absence rate, then the higher off-post
/// rate, then the higher lateness rate, then the unit path. Units with nothing judged (no data)
/// are neither ranked nor compared with last month. The bulletin's ranking lists the level
/// directly below its scope (below the single top unit when there is no `--unit`).
enum BulletinBuilder {
    /// Builds the bulletin for `month` (`YYYY-MM`) for the units at or below `under` (all when nil).
    /// `now` decides the signing date and how many days of the month have elapsed. With `review`
    /// (`[review]` of collector.toml) the review counts carry 限时办结: the overdue figure of
    /// `OverdueFigure`, the one the console's overview shows.
    static func build(month: String, under: UnitPath?, store: any CollectorStore, settings: BulletinSettings,
                      review timeLimit: ReviewSettings? = nil, now: Date) async throws -> Bulletin {
        guard let m = ReportMonth(month) else { throw BulletinError.badMonth(month) }
        // The five queries are independent: run them together (the stores read on several connections).
        async let currentQuery = store.unitFigures(from: m.first, to: m.last, under: under)
        async let previousQuery = store.unitFigures(from: m.previous.first, to: m.previous.last, under: under)
        async let talliesQuery = store.personTallies(from: m.first, to: m.last, under: under)
        async let seriousQuery = store.seriousAnomalies(from: m.first, to: m.last, under: under)
        async let healthQuery = store.agentHealth(from: m.first, to: m.last)
        async let reviewQuery = store.reviewCounts(from: m.first, to: m.last, under: under)
        async let unjudgedQuery = store.unjudgedDays(from: m.first, to: m.last, under: under)
        let today = localDate(of: now, in: settings.zone)
        async let overdueQuery = overdue(store, under: under, month: m, today: today, timeLimit: timeLimit)
        let (current, previous) = try await (currentQuery, previousQuery)

        let inScope = current.filter { under == nil || $0.unit.isWithin(under!) }.sorted { $0.unit < $1.unit }
        let previousByUnit = Dictionary(previous.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let baseDepth = under?.components.count ?? (inScope.map(\.unit.components.count).min() ?? 1)
        var units = inScope.map { line(for: $0, previous: previousByUnit[$0.unit], depth: $0.unit.components.count - baseDepth) }
        rankSiblings(&units)
        units = orderByRank(units)

        let paths = Set(units.map(\.unit))
        let tops = units.filter { u in !u.unit.lineage.dropLast().contains { paths.contains($0) } }
        let totals: BulletinUnit
        if tops.count == 1 {
            totals = tops[0]
        } else {
            let sum = sumFigures(tops.map(\.unit).compactMap { u in inScope.first { $0.unit == u } }, unit: under ?? UnitPath(""))
            let prevSum = sumFigures(tops.compactMap { previousByUnit[$0.unit] }, unit: sum.unit)
            totals = line(for: sum, previous: prevSum, depth: -1)
        }
        var rankedLevel = tops
        if tops.count == 1 {
            let children = units.filter { $0.unit.components.count == tops[0].unit.components.count + 1 }
            if !children.isEmpty { rankedLevel = children }
        }
        let ranking = rankedLevel.compactMap { u -> RankedUnit? in
            guard let rank = u.rank ?? (rankedLevel.count == 1 && u.judged > 0 ? 1 : nil) else { return nil }
            return RankedUnit(rank: rank, unit: u.unit, scheduled: u.scheduled, charged: u.charged, score: u.score,
                              previousScore: u.previousScore, scoreChange: u.scoreChange)
        }.sorted { $0.rank < $1.rank }

        let (tallies, serious, health) = try await (talliesQuery, seriousQuery, healthQuery)
        var (review, unjudged) = try await (reviewQuery, unjudgedQuery)
        if let timeLimit {
            review.overdue = try await overdueQuery
            review.reviewDays = timeLimit.reviewDays
            review.holidayCalendar = timeLimit.holidays != nil
        }
        let complete = completeness(health, month: m, under: under, today: today, zone: settings.zone)
        let lastDue = min(m.last, today.adding(days: -1))
        var gapDates: [String: Set<CivilDate>] = [:]
        for day in unjudged where day.date <= lastDue { gapDates[day.agent, default: []].insert(day.date) }
        for c in complete where !c.missing.isEmpty { gapDates[c.agent, default: []].formUnion(c.missing) }
        let daysWithoutData = gapDates.keys.sorted().map { agent in
            DataGap(agent: agent, units: health.first { $0.agent.id == agent }?.agent.unitPrefixes ?? [],
                    dates: gapDates[agent]!.sorted())
        }
        let organization = settings.organization ?? (under ?? tops.first?.unit)?.components.first ?? "本单位"

        return Bulletin(
            month: m, from: m.first, to: m.last, scope: under, organization: organization,
            office: settings.office,
            documentNumber: settings.documentNumber.replacingOccurrences(of: "{year}", with: String(m.year))
                .replacingOccurrences(of: "{month}", with: String(m.month)),
            issuedOn: today, generatedAt: now, settings: settings, totals: totals, units: units,
            ranking: ranking,
            repeatCases: repeatCases(tallies, settings: settings),
            seriousCases: seriousCases(serious),
            completeness: complete, review: review, daysWithoutData: daysWithoutData)
    }

    /// 限时办结 of the scope (`OverdueFigure`); nil without review settings.
    static func overdue(_ store: any CollectorStore, under: UnitPath?, month: ReportMonth, today: CivilDate,
                        timeLimit: ReviewSettings?) async throws -> Int? {
        guard let timeLimit else { return nil }
        return try await OverdueFigure.count(store, scope: AnomalyFilter(under: under), month: month, today: today, review: timeLimit)
    }

    /// Per 100 person-days, unrounded.
    static func rate(_ count: Int, per scheduled: Int) -> Double {
        scheduled == 0 ? 0 : Double(count) * 100 / Double(scheduled)
    }

    /// Two decimals.
    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    /// The calendar date of `now` in `zone`.
    static func localDate(of now: Date, in zone: TimeZone) -> CivilDate {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: now)
        return CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// A unit's bulletin line from this month's and last month's figures.
    static func line(for f: UnitFigures, previous p: UnitFigures?, depth: Int) -> BulletinUnit {
        let prev = p.flatMap { $0.scheduled - $0.unverified > 0 ? $0 : nil }
        let judged = f.scheduled - f.unverified
        var kinds: [KindLine] = []
        for kind in AnomalyKind.allCases {
            let k = f.kinds[kind] ?? KindFigures()
            let r = rate(k.count, per: judged)
            var kl = KindLine(kind: kind, count: k.count, minutes: k.minutes, rate: round2(r))
            if let prev {
                let pc = prev.kinds[kind]?.count ?? 0
                let pr = rate(pc, per: prev.scheduled - prev.unverified)
                kl.previousCount = pc
                kl.previousRate = round2(pr)
                kl.change = round2(r - pr)
            }
            kinds.append(kl)
        }
        let charged = f.kinds.values.reduce(0) { $0 + $1.count }
        let score = rate(charged, per: judged)
        let prevScore = judged > 0 ? prev.map { rate($0.kinds.values.reduce(0) { $0 + $1.count }, per: $0.scheduled - $0.unverified) } : nil
        return BulletinUnit(
            unit: f.unit, depth: depth, scheduled: f.scheduled, present: f.present, excused: f.excused,
            unverified: f.unverified, kinds: kinds, charged: charged, score: round2(score),
            minutesLate: (f.kinds[.late]?.minutes ?? 0) + (f.kinds[.earlyLeave]?.minutes ?? 0),
            minutesAway: f.kinds[.offPost]?.minutes ?? 0,
            previousScheduled: prev?.scheduled, previousScore: prevScore.map(round2),
            scoreChange: prevScore.map { round2(score - $0) }, rank: nil)
            .withoutComparison(unless: judged > 0)
    }

    /// Several units' figures added up (for a scope with several top units).
    static func sumFigures(_ figures: [UnitFigures], unit: UnitPath) -> UnitFigures {
        var sum = UnitFigures(unit: unit, scheduled: 0, present: 0, excused: 0, unverified: 0, kinds: [:])
        for f in figures {
            sum.scheduled += f.scheduled
            sum.present += f.present
            sum.excused += f.excused
            sum.unverified += f.unverified
            for (kind, k) in f.kinds {
                sum.kinds[kind, default: KindFigures()].count += k.count
                sum.kinds[kind, default: KindFigures()].minutes += k.minutes
            }
        }
        return sum
    }

    /// Sets `rank` on every unit with something judged, among the units sharing its parent (a unit
    /// without judged siblings has no rank). Units whose scores print the same share the rank of the
    /// first of them (1, 1, 3).
    static func rankSiblings(_ units: inout [BulletinUnit]) {
        var groups: [[String]: [Int]] = [:]
        for (i, u) in units.enumerated() where u.judged > 0 {
            groups[Array(u.unit.components.dropLast()), default: []].append(i)
        }
        for indices in groups.values where indices.count > 1 {
            let ordered = indices.sorted { severer(units[$0], than: units[$1]) }
            var previous: (score: Double, rank: Int)?
            for (place, i) in ordered.enumerated() {
                let rank = previous.map { $0.score == units[i].score ? $0.rank : place + 1 } ?? place + 1
                units[i].rank = rank
                previous = (units[i].score, rank)
            }
        }
    }

    /// Tree order with siblings by rank: a parent before its children, the severest sibling first,
    /// unranked ones last by path.
    static func orderByRank(_ units: [BulletinUnit]) -> [BulletinUnit] {
        let rank = Dictionary(units.map { ($0.unit, $0.rank ?? Int.max) }, uniquingKeysWith: { a, _ in a })
        func key(_ u: UnitPath) -> [(Int, String)] {
            (1...u.components.count).map { n in
                let prefix = UnitPath(components: Array(u.components.prefix(n)))
                return (rank[prefix] ?? Int.max, u.components[n - 1])
            }
        }
        return units.sorted { a, b in
            let ka = key(a.unit), kb = key(b.unit)
            for (x, y) in zip(ka, kb) where x != y { return x < y }
            return ka.count < kb.count
        }
    }

    /// The ranking order: score, then absence, off-post and lateness rates, then the path.
    static func severer(_ a: BulletinUnit, than b: BulletinUnit) -> Bool {
        if a.score != b.score { return a.score > b.score }
        for kind in [AnomalyKind.absent, .offPost, .late] {
            let ra = rate(a.line(kind).count, per: a.judged), rb = rate(b.line(kind).count, per: b.judged)
            if ra != rb { return ra > rb }
        }
        return a.unit < b.unit
    }
}

extension BulletinUnit {
    /// The line with no month-on-month comparison when `judged` is false: a unit without data this
    /// month is not compared with the last.
    func withoutComparison(unless judged: Bool) -> BulletinUnit {
        guard !judged else { return self }
        var u = self
        u.previousScheduled = nil
        u.previousScore = nil
        u.scoreChange = nil
        u.kinds = u.kinds.map { k in
            var k = k
            k.previousCount = nil
            k.previousRate = nil
            k.change = nil
            return k
        }
        return u
    }
}

/// Why a bulletin could not be built.
enum BulletinError: Error, Equatable, CustomStringConvertible {
    case badMonth(String)

    var description: String {
        switch self {
        case .badMonth(let s): "--month: \"\(s)\" is not a month YYYY-MM (for example 2026-11)"
        }
    }
}
