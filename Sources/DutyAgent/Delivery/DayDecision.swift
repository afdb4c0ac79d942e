import Foundation
import Shared

/// Which business dates are decided, and their day summaries.
///
/// A date is decided when its data is complete, as the design defines it:
/// - every reader of the site has reported past the end of every window of the date (reader
///   watermarks: the engine leaves no instance of the date pending), or
/// - the settle delay has passed since the end of the date's last possible window: `settle_minutes`
///   after the latest shift end (plus `check_out_late`, on the next day for a night shift). A silent
///   reader cannot hold a date back for ever; what it sends later makes a new revision.
///
/// Dates run from the first date with punches to today (the site's local date), at most
/// `history_days` back: one stray punch dated years ago does not make the agent decide every date
/// since (the punches left out are said in the log and by `status`).
struct DayDecision: Sendable {
    /// Decided dates' summaries (revision 0, numbered by the spool), in date order.
    var summaries: [DaySummary]
    /// Dates of the range not decided yet.
    var undecided: [CivilDate]
    /// The dates judged; nil when the badge files hold no punch.
    var range: ClosedRange<CivilDate>?
    /// The dates judged this time: `range`, or its end from `judgeFrom` on.
    var judged: ClosedRange<CivilDate>?
    /// The date through which the settle delay alone decides.
    var settledThrough: CivilDate?
    /// When punches are older than `history_days`: the first date with punches, left out.
    var olderPunchesFrom: CivilDate?

    /// The first date `history_days` lets be decided on `today` (the value clamped to its bounds).
    static func historyStart(today: CivilDate, historyDays: Int) -> CivilDate {
        today.adding(days: -(min(max(historyDays, 1), AgentConfigParser.maximumHistoryDays) - 1))
    }

    /// Judges `office` at `now` and returns what is decided.
    ///
    /// `judgeFrom` limits the dates judged to `judgeFrom...today` (the daemon's incremental reading:
    /// the earlier dates are decided and spooled, and nothing they depend on changed); `office` must
    /// then hold every punch from 33 days before it on (reliance looks 30 days back, and the day
    /// before is planned for its night shifts).
    static func decide(_ office: Office, now: Date, settleMinutes: Int,
                       historyDays: Int = AgentConfigParser.defaultHistoryDays,
                       judgeFrom: CivilDate? = nil) -> DayDecision {
        let config = office.config
        let localNow = Office.localNow(in: config.site.timeZone, at: now)
        guard let firstPunch = office.punchDates?.lowerBound, firstPunch <= localNow.date else {
            return DayDecision(summaries: [], undecided: [], range: nil, judged: nil, settledThrough: nil)
        }
        let today = localNow.date
        let historyStart = Self.historyStart(today: today, historyDays: historyDays)
        let fallback = max(firstPunch, historyStart)
        let first = min(max(fallback, judgeFrom ?? fallback), today)
        let settled = settledThrough(config.shifts, now: localNow, settleMinutes: settleMinutes)
        let request = EvaluationRequest(from: first, to: today, completeThrough: settled >= fallback ? settled : nil,
                                        now: localNow)
        let evaluation = AttendanceEngine.evaluate(office.input, request)
        var pending = Set<CivilDate>()
        var scheduled = Set<CivilDate>()
        let instances = evaluation.instances
        for i in instances.indices {  // dates and statuses only: no outcome is built
            let date = instances.date(at: i)
            scheduled.insert(date)
            if instances.status(at: i) == .pending { pending.insert(date) }
        }
        var decided: [CivilDate] = []
        var undecided: [CivilDate] = []
        var d = first
        while d <= today {
            // A date with nothing scheduled waits for the settle delay: a roster entry may still come.
            if !pending.contains(d) && (d <= settled || scheduled.contains(d)) { decided.append(d) } else { undecided.append(d) }
            d = d.adding(days: 1)
        }
        // Every punch of the day of the people with an anomaly on a decided date, from the same input.
        let decidedSet = Set(decided)
        let dayPunches = AttendanceEngine.dayPunches(office.input, request,
                                                     for: evaluation.anomalies.filter { decidedSet.contains($0.date) })
        var combined = evaluation
        combined.quality = Self.unknownBadgesByDate(evaluation.quality, office: office, dates: first...today, now: localNow)
            + office.quality
        let summaries = DaySummary.build(
            from: combined, dates: decided, agent: config.site.id, site: config.site.name, generatedAt: now,
            dating: office.dating ?? QualityDating(punches: office.input.punches, files: office.input.files),
            fallbackDate: fallback, dayPunches: dayPunches)
        return DayDecision(summaries: summaries, undecided: undecided, range: fallback...today, judged: first...today,
                           settledThrough: settled,
                           olderPunchesFrom: firstPunch < historyStart ? firstPunch : nil)
    }

    /// `quality` with its `unknown_badge` items given per badge and date: the engine gives one per
    /// badge over all the dates judged, at its first punch, counting every punch of those dates.
    /// Which date's summary took it, and with what count, then depended on where the judging
    /// started: an incremental judging put a badge's count of a month on the first date it judged
    /// (a new revision of that date every day, and the same punches counted again in the summary of
    /// an earlier date). A summary is about its date: its item counts that date's punches, as
    /// `check` over that one date says. The punches counted are the engine's: not clock-skewed
    /// (before 2001 or more than 5 minutes after `now`).
    static func unknownBadgesByDate(_ quality: [QualityItem], office: Office, dates: ClosedRange<CivilDate>,
                                    now: LocalDateTime) -> [QualityItem] {
        let badges = Set(quality.compactMap { $0.kind == .unknownBadge ? $0.badge : nil })
        guard !badges.isEmpty else { return quality }
        let punches = office.input.punches
        let table = punches.badgeIDs.map(badges.contains)
        let first = dates.lowerBound.midnight.seconds
        let end = dates.upperBound.adding(days: 1).midnight.seconds
        struct Seen { var first: Int; var count: Int }
        var seen: [String: [CivilDate: Seen]] = [:]
        for i in punches.indices where table[Int(punches.badge(at: i))] {
            let t = punches.time(at: i)
            guard t >= first && t < end, PlausiblePunch.contains(t, now: now) else { continue }
            let badge = punches.badgeIDs[Int(punches.badge(at: i))]
            let date = LocalDateTime(seconds: t).date
            if let s = seen[badge]?[date] {
                seen[badge]![date] = Seen(first: s.first, count: s.count + 1)
            } else {
                seen[badge, default: [:]][date] = Seen(first: i, count: 1)
            }
        }
        var out = quality.filter { $0.kind != .unknownBadge }
        for badge in seen.keys.sorted() {
            for (_, s) in seen[badge]!.sorted(by: { $0.key < $1.key }) {
                let p = punches[s.first]
                let file = Int(p.source.file) < office.input.files.count ? office.input.files[Int(p.source.file)] : "#\(p.source.file)"
                out.append(QualityItem.unknownBadge(badge, count: s.count, first: p, file: file))
            }
        }
        return out
    }

    /// The last date whose every window ended at least `settleMinutes` before `now`.
    static func settledThrough(_ shifts: [Shift], now: LocalDateTime, settleMinutes: Int) -> CivilDate {
        let windowEnd = shifts.map { s in
            s.end.minutes + (s.crossesMidnight ? 1440 : 0) + s.rules.minutes(\.checkOutLate)
        }.max() ?? 1440
        // Date D is settled when D's midnight + windowEnd + settle <= now.
        return now.adding(minutes: -(windowEnd + min(max(settleMinutes, 0), AgentConfigParser.maximumSettleMinutes))).date
    }
}
