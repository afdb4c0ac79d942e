import Foundation
import Shared

/// 限时办结, one figure for the overview, the bulletin (`duty-collector bulletin`, `/api/v1/bulletin`,
/// the console's page and downloads): the month's anomalies still open after the time limit
/// (`[review] review_days` working days). Those excused by leave are not reviews; unconfirmed
/// suspicions count nowhere (the overview shows them apart as 存疑待核), so they are not in it
/// either, as they are not in the bulletin's open count.
enum OverdueFigure {
    /// The anomalies of `month` within `scope` that are overdue on `today`; nil when none can be
    /// (the time limit has not yet passed for the month's first day).
    static func filter(_ scope: AnomalyFilter, month: ReportMonth, today: CivilDate, review: ReviewSettings) -> AnomalyFilter? {
        let through = limit(month: month, today: today, review: review)
        guard through >= month.first else { return nil }
        var filter = scope
        filter.state = .open
        filter.includeLeaveExcused = false
        filter.includeUnconfirmedSuspected = false
        filter.from = month.first
        filter.to = through
        return filter
    }

    /// The last business date of `month` whose open anomalies are overdue on `today` (before the
    /// month's first day when none is): the one limit of the count and of the queue's link.
    static func limit(month: ReportMonth, today: CivilDate, review: ReviewSettings) -> CivilDate {
        min(month.last, review.overdueThrough(today: today))
    }

    static func count(_ store: any CollectorStore, scope: AnomalyFilter, month: ReportMonth, today: CivilDate,
                      review: ReviewSettings) async throws -> Int {
        guard let filter = filter(scope, month: month, today: today, review: review) else { return 0 }
        return try await store.countAnomalies(filter)
    }

    /// The queue's link to those anomalies.
    static func queueLink(month: ReportMonth, today: CivilDate, review: ReviewSettings) -> String {
        let through = limit(month: month, today: today, review: review)
        return "/reviews?state=open&suspected=none&from=\(month.first)&to=\(through)"
    }
}
