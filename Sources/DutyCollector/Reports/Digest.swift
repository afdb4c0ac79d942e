import Foundation
import Shared

/// HR's anomaly digest for a period: every stored anomaly (newest revisions) grouped by unit,
/// person and date, with its review state and the punch times it was derived from. Anomalies
/// excused by leave are listed too, as 已豁免, because HR checks them as well.
///
/// Its figures are those of the agent's digest and of the bulletin for the same data: `by_kind`
/// counts the charged anomalies only (neither excused by leave nor by HR), and the review states
/// add up to `total`: 待审核 + 已确认 + 已豁免 (leave or HR).
struct Digest: Equatable, Sendable, Codable {
    var from: CivilDate
    var to: CivilDate
    var scope: UnitPath?
    var generatedAt: Date
    /// Every anomaly listed, excused ones included.
    var total: Int
    /// Those charged: not excused by leave nor by HR (open or confirmed).
    var charged: Int
    /// Charged count per kind, in `AnomalyKind.allCases` order, kinds with none left out.
    var byKind: [DigestKindCount]
    /// Count per review state (leave-excused ones are excused).
    var open: Int
    var confirmed: Int
    var excused: Int
    /// Of `excused`, those the office's leave excused (the rest HR excused).
    var leaveExcused: Int
    var units: [DigestUnit]
    /// Suspected anomalies HR has neither confirmed nor excused (存疑待核), by unit: listed under
    /// their own heading, in no count but `total` and `open`; nil when there are none.
    var suspected: [DigestUnit]? = nil

    /// How many anomalies `suspected` lists.
    var suspectedCount: Int { suspected?.reduce(0) { $0 + $1.people.reduce(0) { $0 + $1.entries.count } } ?? 0 }

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case from, to, scope, generatedAt = "generated_at", total, charged, byKind = "by_kind", open, confirmed, excused
        case leaveExcused = "leave_excused", units, suspected
    }
}

/// How many anomalies of one kind.
struct DigestKindCount: Equatable, Sendable, Codable {
    var kind: AnomalyKind
    var count: Int
}

/// One unit's people with anomalies.
struct DigestUnit: Equatable, Sendable, Codable {
    var unit: UnitPath
    var people: [DigestPerson]
}

/// One person's anomalies, by date.
struct DigestPerson: Equatable, Sendable, Codable {
    var person: String
    var name: String
    var entries: [DigestEntry]
}

/// One anomaly as HR reads it.
struct DigestEntry: Equatable, Sendable, Codable {
    var id: String
    var date: CivilDate
    var shift: String
    /// The shift's name, printed instead of its code; nil when it has none.
    var shiftName: String?
    var duty: Bool
    var kind: AnomalyKind
    var minutes: Int
    var severity: Severity
    /// Excused by leave at the office (not charged), with the leave's kind.
    var leaveExcused: Bool
    var leaveReason: String?
    var review: ReviewState
    var reviewNote: String?
    var reviewedBy: String?
    var evidence: [DigestPunch]

    /// What a person reads for the shift: its name, else its code.
    var shiftLabel: String { shiftName ?? shift }

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case id, date, shift, shiftName = "shift_name", duty, kind, minutes, severity, leaveExcused = "leave_excused"
        case leaveReason = "leave_reason", review, reviewNote = "review_note", reviewedBy = "reviewed_by", evidence
    }
}

/// A punch behind an anomaly.
struct DigestPunch: Equatable, Sendable, Codable {
    var time: LocalDateTime
    var reader: String
    var file: String
    var line: Int
}

/// Builds the digest from the store.
enum DigestBuilder {
    /// The digest of anomalies at or below `under` with business dates `from...to`. Without
    /// `from`, the first day of the month of `to`; without `to`, today in `zone`.
    static func build(under: UnitPath?, from: CivilDate?, to: CivilDate?, store: any CollectorStore, now: Date,
                      zone: TimeZone) async throws -> Digest {
        let end = to ?? BulletinBuilder.localDate(of: now, in: zone)
        let start = from ?? ReportMonth(containing: end).first
        guard start <= end else { throw DigestError.emptyPeriod(from: start, to: end) }
        let rows = try await store.anomalies(AnomalyFilter(under: under, from: start, to: end, includeLeaveExcused: true))
        return make(rows, from: start, to: end, scope: under, now: now)
    }

    /// Groups stored anomalies into a digest.
    static func make(_ rows: [StoredAnomaly], from: CivilDate, to: CivilDate, scope: UnitPath?, now: Date) -> Digest {
        var byUnit: [UnitPath: [String: DigestPerson]] = [:]
        var suspectedByUnit: [UnitPath: [String: DigestPerson]] = [:]
        var suspected = 0
        var kinds: [AnomalyKind: Int] = [:]
        var states: [ReviewState: Int] = [:]
        var leaveExcused = 0
        for r in rows {
            let a = r.anomaly
            // A suspected anomaly counts only once HR has confirmed it (then as what it is, off_post).
            let pending = a.suspected && r.review == .open
            if pending { suspected += 1 }
            if r.review != .excused && !pending { kinds[a.kind, default: 0] += 1 }
            if a.excused { leaveExcused += 1 }
            states[r.review, default: 0] += 1
            let entry = DigestEntry(
                id: a.id, date: a.date, shift: a.shift, shiftName: a.shiftName, duty: a.duty, kind: a.kind, minutes: a.minutes, severity: a.severity,
                leaveExcused: a.excused, leaveReason: a.reason, review: r.review, reviewNote: r.reviewNote,
                reviewedBy: r.reviewedBy,
                evidence: a.evidence.sorted { $0.time < $1.time }.map {
                    DigestPunch(time: $0.time, reader: $0.reader, file: $0.file, line: $0.line)
                })
            if pending {
                suspectedByUnit[a.unit, default: [:]][a.person, default: DigestPerson(person: a.person, name: a.name, entries: [])]
                    .entries.append(entry)
            } else {
                byUnit[a.unit, default: [:]][a.person, default: DigestPerson(person: a.person, name: a.name, entries: [])]
                    .entries.append(entry)
            }
        }
        func grouped(_ byUnit: [UnitPath: [String: DigestPerson]]) -> [DigestUnit] {
            byUnit.keys.sorted().map { unit in
                DigestUnit(unit: unit, people: byUnit[unit]!.values.sorted { $0.person < $1.person }.map { p in
                    var p = p
                    p.entries.sort { ($0.date, $0.kind, $0.id) < ($1.date, $1.kind, $1.id) }
                    return p
                })
            }
        }
        let units = grouped(byUnit)
        var digest = Digest(from: from, to: to, scope: scope, generatedAt: now, total: rows.count,
                      charged: rows.count - (states[.excused] ?? 0) - suspected,
                      byKind: AnomalyKind.allCases.compactMap { k in kinds[k].map { DigestKindCount(kind: k, count: $0) } },
                      open: states[.open] ?? 0, confirmed: states[.confirmed] ?? 0, excused: states[.excused] ?? 0,
                      leaveExcused: leaveExcused, units: units)
        if !suspectedByUnit.isEmpty { digest.suspected = grouped(suspectedByUnit) }
        return digest
    }
}

/// Why a digest could not be built.
enum DigestError: Error, Equatable, CustomStringConvertible {
    case emptyPeriod(from: CivilDate, to: CivilDate)

    var description: String {
        switch self {
        case .emptyPeriod(let f, let t): "--from \(f) is after --to \(t)"
        }
    }
}
