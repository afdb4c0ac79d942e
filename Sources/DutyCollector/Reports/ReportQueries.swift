import Foundation
import Shared

/// The queries the reports make beyond the plain figures, in one place: both are answered by the
/// store in SQL (a GROUP BY per person and kind; a severity filter), never by fetching the
/// month's anomaly rows.
extension CollectorStore {
    /// Charged (not leave-excused, not HR-excused) anomalies per person, unit and kind.
    func personTallies(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [PersonKindCount] {
        try await personCounts(from: from, to: to, under: under)
    }

    /// Serious and critical anomalies not excused by leave, HR-excused ones included (marked);
    /// suspected ones only once HR has confirmed them.
    func seriousAnomalies(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [StoredAnomaly] {
        try await anomalies(AnomalyFilter(under: under, from: from, to: to, includeLeaveExcused: false,
                                          includeUnconfirmedSuspected: false, minSeverity: .serious))
    }
}
