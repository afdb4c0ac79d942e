import Foundation
import Shared

/// The JSON shapes of the read API (snake_case keys, kinds by their wire names).
enum APIModels {
    /// One unit's figures, descendants included.
    struct UnitFiguresJSON: Encodable {
        var unit: UnitPath
        var scheduled: Int
        var present: Int
        var excused: Int
        var unverified: Int
        /// Charged counts and minutes by kind (`late`, `early_leave`…).
        var kinds: [String: KindFigures]

        init(_ f: UnitFigures) {
            unit = f.unit
            scheduled = f.scheduled
            present = f.present
            excused = f.excused
            unverified = f.unverified
            kinds = Dictionary(uniqueKeysWithValues: f.kinds.map { ($0.key.rawValue, $0.value) })
        }
    }

    /// `GET /api/v1/units`.
    struct UnitsResponse: Encodable {
        var from: CivilDate
        var to: CivilDate
        var unit: UnitPath?
        var units: [UnitFiguresJSON]
    }

    /// HR's decision on an anomaly.
    struct ReviewJSON: Encodable {
        var state: ReviewState
        var note: String?
        var by: String?
        var at: Date?
    }

    /// A stored anomaly: the wire anomaly plus who reported it and its review.
    struct AnomalyJSON: Encodable {
        var anomaly: Anomaly
        var agent: String
        var revision: Int
        var review: ReviewJSON

        init(_ s: StoredAnomaly) {
            anomaly = s.anomaly
            agent = s.agent
            revision = s.revision
            review = ReviewJSON(state: s.review, note: s.reviewNote, by: s.reviewedBy, at: s.reviewedAt)
        }

        func encode(to encoder: any Encoder) throws {
            try anomaly.encode(to: encoder)
            enum Keys: String, CodingKey { case agent, revision, review }
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(agent, forKey: .agent)
            try c.encode(revision, forKey: .revision)
            try c.encode(review, forKey: .review)
        }
    }

    /// `GET /api/v1/anomalies`.
    struct AnomaliesResponse: Encodable {
        var count: Int
        var anomalies: [AnomalyJSON]
        /// The `offset` of the next page; absent on the last page.
        var nextOffset: Int?

        enum CodingKeys: String, CodingKey { case count, anomalies, nextOffset = "next_offset" }
    }

    /// An agent's grant and health.
    struct AgentJSON: Encodable {
        var id: String
        var units: [UnitPath]
        var createdAt: Date
        var revokedAt: Date?
        var lastContact: Date?
        var lastSummaryDate: CivilDate?
        var lastSummaryAt: Date?
        var datesReceived: [CivilDate]
        /// Dates in the period with no summary from this agent.
        var datesMissing: [CivilDate]

        enum CodingKeys: String, CodingKey {
            case id, units, createdAt = "created_at", revokedAt = "revoked_at", lastContact = "last_contact"
            case lastSummaryDate = "last_summary_date", lastSummaryAt = "last_summary_at"
            case datesReceived = "dates_received", datesMissing = "dates_missing"
        }

        init(_ h: AgentHealth, from: CivilDate, to: CivilDate) {
            id = h.agent.id
            units = h.agent.unitPrefixes
            createdAt = h.agent.createdAt
            revokedAt = h.agent.revokedAt
            lastContact = h.agent.lastContact
            lastSummaryDate = h.lastSummaryDate
            lastSummaryAt = h.lastSummaryAt
            datesReceived = h.datesReceived.sorted()
            let received = Set(h.datesReceived)
            datesMissing = from > to ? [] : (from.dayNumber...to.dayNumber).map(CivilDate.init(dayNumber:)).filter { !received.contains($0) }
        }
    }

    /// `GET /api/v1/agents`.
    struct AgentsResponse: Encodable {
        var from: CivilDate
        var to: CivilDate
        var agents: [AgentJSON]
    }

    /// An entry of the audit log.
    struct AuditEntryJSON: Encodable {
        var anomaly: String
        var state: ReviewState
        var note: String
        var by: String
        var at: Date

        init(_ d: ReviewDecision) {
            anomaly = d.anomalyID
            state = d.state
            note = d.note
            by = d.by
            at = d.at
        }
    }

    /// `GET /api/v1/audit`.
    struct AuditResponse: Encodable {
        var entries: [AuditEntryJSON]
    }
}
