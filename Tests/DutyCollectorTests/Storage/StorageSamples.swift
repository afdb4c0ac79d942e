import Foundation
import Shared
@testable import DutyCollector

/// Builders of day summaries and anomalies for the storage tests.
enum StorageSamples {
    static let root = "市场监管局"
    static let brigade = "市场监管局/执法大队"
    static let squad1 = "市场监管局/执法大队/一中队"
    static let squad2 = "市场监管局/执法大队/二中队"
    static let office = "市场监管局/办公室"

    /// A date in November 2026.
    static func day(_ d: Int) -> CivilDate { CivilDate(year: 2026, month: 11, day: d)! }

    /// A whole-second time (the store keeps milliseconds).
    static func time(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_795_000_000 + Double(seconds)) }

    /// An anomaly with a stable id derived from its fields.
    static func anomaly(_ person: String, _ kind: AnomalyKind, unit: String, date: CivilDate, minutes: Int = 10,
                        severity: Severity = .minor, excused: Bool = false, name: String? = nil,
                        shift: String = "day") -> Anomaly {
        let start = LocalDateTime(date: date, secondsOfDay: 9 * 3600)
        return Anomaly(
            id: StableID.anomaly(site: "site", person: person, date: date, shift: shift, kind: kind, start: start),
            person: person, name: name ?? "姓名\(person)", unit: UnitPath(unit), date: date, shift: shift, duty: false,
            kind: kind, minutes: minutes, severity: severity, excused: excused, reason: excused ? "年假" : nil,
            expectedStart: start, evidence: [Evidence(file: "punches.csv", line: 3, time: start, reader: "R1")])
    }

    /// A summary whose unit figures count the given anomalies as charged (unless excused).
    static func summary(agent: String = "a1", date: CivilDate, revision: Int, units: [String: (scheduled: Int, present: Int)],
                        anomalies: [Anomaly] = [], generatedAt: Date = time(0)) -> DaySummary {
        let figures = units.map { unit, f -> UnitDayFigures in
            var kinds: [AnomalyKind: KindFigures] = [:]
            for a in anomalies where a.unit.description == unit && !a.excused && !a.suspected {
                kinds[a.kind, default: KindFigures()].count += 1
                kinds[a.kind, default: KindFigures()].minutes += a.minutes
            }
            return UnitDayFigures(unit: UnitPath(unit), scheduled: f.scheduled, present: f.present, excused: 0,
                                  unverified: f.scheduled - f.present, kinds: kinds)
        }
        return DaySummary(agent: agent, site: "site-\(agent)", date: date, revision: revision, generatedAt: generatedAt,
                          units: figures, anomalies: anomalies, quality: [])
    }

    /// An agent record with whole-second times.
    static func agent(_ id: String, prefixes: [String] = [root], token: String? = nil) -> AgentRecord {
        AgentRecord(id: id, unitPrefixes: prefixes.map(UnitPath.init), tokenHash: "hash-" + (token ?? id),
                    createdAt: time(1), revokedAt: nil, lastContact: nil)
    }
}
