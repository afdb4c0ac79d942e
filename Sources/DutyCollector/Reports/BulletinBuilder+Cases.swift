import Foundation
import Shared

extension BulletinBuilder {
    /// People over a repeat threshold: late + early leave ≥ `repeatLateEarly`, absences ≥
    /// `repeatAbsent`, or off-post ≥ `repeatOffPost`. Absences first, then off-post, then lateness,
    /// then minutes, then unit and person.
    static func repeatCases(_ tallies: [PersonKindCount], settings: BulletinSettings) -> [RepeatCase] {
        struct Key: Hashable { var person: String, unit: UnitPath }
        var people: [Key: RepeatCase] = [:]
        for t in tallies {
            let key = Key(person: t.person, unit: t.unit)
            var c = people[key] ?? RepeatCase(person: t.person, name: t.name, unit: t.unit, late: 0, earlyLeave: 0,
                                              absent: 0, offPost: 0, minutesLate: 0, minutesAway: 0, reasons: [])
            switch t.kind {
            case .late: c.late += t.count; c.minutesLate += t.minutes
            case .earlyLeave: c.earlyLeave += t.count; c.minutesLate += t.minutes
            case .absent: c.absent += t.count
            case .offPost: c.offPost += t.count; c.minutesAway += t.minutes
            case .missingIn, .missingOut: break
            }
            if c.name.isEmpty { c.name = t.name }
            people[key] = c
        }
        var cases: [RepeatCase] = []
        for var c in people.values {
            if c.late + c.earlyLeave >= settings.repeatLateEarly { c.reasons.append("late_early") }
            if c.absent >= settings.repeatAbsent { c.reasons.append("absent") }
            if c.offPost >= settings.repeatOffPost { c.reasons.append("off_post") }
            if !c.reasons.isEmpty { cases.append(c) }
        }
        return cases.sorted { a, b in
            if a.absent != b.absent { return a.absent > b.absent }
            if a.offPost != b.offPost { return a.offPost > b.offPost }
            if a.late + a.earlyLeave != b.late + b.earlyLeave { return a.late + a.earlyLeave > b.late + b.earlyLeave }
            if a.minutesLate + a.minutesAway != b.minutesLate + b.minutesAway {
                return a.minutesLate + a.minutesAway > b.minutesLate + b.minutesAway
            }
            if a.unit != b.unit { return a.unit < b.unit }
            return a.person < b.person
        }
    }

    /// Serious and critical anomalies by date, unit, person and kind.
    static func seriousCases(_ rows: [StoredAnomaly]) -> [SeriousCase] {
        rows.map { r in
            let a = r.anomaly
            return SeriousCase(id: a.id, person: a.person, name: a.name, unit: a.unit, date: a.date, shift: a.shift,
                               shiftName: a.shiftName, duty: a.duty, kind: a.kind, minutes: a.minutes, severity: a.severity, review: r.review,
                               reviewNote: r.reviewNote)
        }.sorted { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.unit != b.unit { return a.unit < b.unit }
            if a.person != b.person { return a.person < b.person }
            if a.kind != b.kind { return a.kind < b.kind }
            return a.id < b.id
        }
    }

    /// Per agent whose grant touches the scope: days expected from the month's start (or the agent's
    /// registration, or the first day it sent if earlier) to the day before `today` (or the month's
    /// end, or its revocation), and which of them have no summary. Agents with nothing expected and
    /// nothing received are left out.
    static func completeness(_ health: [AgentHealth], month: ReportMonth, under: UnitPath?, today: CivilDate,
                             zone: TimeZone) -> [AgentCompleteness] {
        var result: [AgentCompleteness] = []
        for h in health {
            let a = h.agent
            if let under, !a.unitPrefixes.contains(where: { $0.isWithin(under) || under.isWithin($0) }) { continue }
            let received = Set(h.datesReceived.filter { $0 >= month.first && $0 <= month.last })
            // An agent registered mid-month owes the days from its registration, or from the first
            // day it sent when it sent earlier days too (a backfill).
            let start = min(max(month.first, localDate(of: a.createdAt, in: zone)), received.min() ?? month.last)
            var end = min(month.last, today.adding(days: -1))
            if let revoked = a.revokedAt { end = min(end, localDate(of: revoked, in: zone)) }
            var missing: [CivilDate] = []
            var expected = 0
            if start <= end {
                for n in start.dayNumber...end.dayNumber {
                    expected += 1
                    if !received.contains(CivilDate(dayNumber: n)) { missing.append(CivilDate(dayNumber: n)) }
                }
            }
            guard expected > 0 || !received.isEmpty else { continue }
            result.append(AgentCompleteness(
                agent: a.id, units: a.unitPrefixes, expectedDays: expected, receivedDays: expected - missing.count,
                missing: missing, lastContact: a.lastContact, revoked: a.revokedAt != nil))
        }
        return result.sorted { a, b in
            if a.missing.count != b.missing.count { return a.missing.count > b.missing.count }
            return a.agent < b.agent
        }
    }
}
