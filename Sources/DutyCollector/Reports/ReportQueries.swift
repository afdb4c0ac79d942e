import Foundation
import Shared

/// Charged anomalies of one kind for one person in a period.
struct PersonTally: Equatable, Sendable {
    var person: String
    var name: String
    var unit: UnitPath
    var kind: AnomalyKind
    var count: Int
    var minutes: Int
}

/// The queries the reports make beyond the plain protocol, in one place so that the builder does
/// not care which of them the store answers in SQL.
///
/// TEMPORARY: `personTallies` and `seriousAnomalies` filter `anomalies(_:)` in Swift until the
/// store's SQL aggregations for them land (requested from storage in /work/collector-requests.md:
/// `personCounts(from:to:under:)` and `AnomalyFilter.minSeverity`).
extension CollectorStore {
    /// Charged (not leave-excused, not HR-excused) anomalies per person, unit and kind.
    func personTallies(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [PersonTally] {
        let rows = try await anomalies(AnomalyFilter(under: under, from: from, to: to, includeLeaveExcused: false))
        var tallies: [TallyKey: PersonTally] = [:]
        for row in rows where !row.anomaly.excused && row.review != .excused {
            let a = row.anomaly
            let key = TallyKey(person: a.person, unit: a.unit, kind: a.kind)
            var t = tallies[key] ?? PersonTally(person: a.person, name: a.name, unit: a.unit, kind: a.kind, count: 0, minutes: 0)
            t.count += 1
            t.minutes += a.minutes
            t.name = max(t.name, a.name)
            tallies[key] = t
        }
        return Array(tallies.values)
    }

    /// Serious and critical anomalies not excused by leave, HR-excused ones included.
    func seriousAnomalies(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [StoredAnomaly] {
        let rows = try await anomalies(AnomalyFilter(under: under, from: from, to: to, includeLeaveExcused: false))
        return rows.filter { $0.anomaly.severity >= .serious && !$0.anomaly.excused }
    }
}

/// Groups the fallback's rows.
private struct TallyKey: Hashable {
    var person: String
    var unit: UnitPath
    var kind: AnomalyKind
}
