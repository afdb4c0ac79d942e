import Foundation
import Shared

/// The monthly bulletin (月度通报): every figure the renderers print, computed once by
/// `BulletinBuilder`. The renderers are pure functions of this value; its JSON is the `json` format.
///
/// Rates are per 100 scheduled person-days, rounded to two decimals; changes are current minus
/// previous month, in the same unit, computed before rounding.
struct Bulletin: Equatable, Sendable, Codable {
    var month: ReportMonth
    var from: CivilDate
    var to: CivilDate
    /// The unit the bulletin was asked for (`--unit`); nil for the whole organisation.
    var scope: UnitPath?
    /// The issuing body (red header) and the signing office.
    var organization: String
    var office: String?
    var documentNumber: String
    /// The local date the bulletin was built (its signing date).
    var issuedOn: CivilDate
    var generatedAt: Date
    var settings: BulletinSettings
    /// The scope's figures: the scope unit, or every top unit summed.
    var totals: BulletinUnit
    /// Every unit at or below the scope, in tree order (a parent before its children; siblings by
    /// rank, severest first, then unranked ones by path).
    var units: [BulletinUnit]
    /// The units ranked: the level directly below the scope, severest first.
    var ranking: [RankedUnit]
    var repeatCases: [RepeatCase]
    var seriousCases: [SeriousCase]
    var completeness: [AgentCompleteness]
    /// How many of the month's anomalies HR has reviewed, and how: the bulletin never claims a review
    /// the data does not show.
    var review: ReviewCounts
    /// Per agent in scope, the business dates of the month (up to the day before issue) on which it
    /// judged nobody (every scheduled instance unverified: no reader recorded a punch) or sent
    /// nothing: named as dates without data, never read as dates without anomalies.
    var daysWithoutData: [DataGap]

    /// Whether every day due was received and judged.
    var dataComplete: Bool { daysWithoutData.isEmpty && totals.unverified == 0 }

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case month, from, to, scope, organization, office, documentNumber = "document_number"
        case issuedOn = "issued_on", generatedAt = "generated_at", settings, totals, units, ranking
        case repeatCases = "repeat_cases", seriousCases = "serious_cases", completeness, review
        case daysWithoutData = "days_without_data"
    }
}

/// An agent's dates without data in the month.
struct DataGap: Equatable, Sendable, Codable {
    var agent: String
    /// The units the agent reports on.
    var units: [UnitPath]
    var dates: [CivilDate]
}

/// One unit's figures for the month, descendants included, with the previous month beside them.
struct BulletinUnit: Equatable, Sendable, Codable {
    var unit: UnitPath
    /// Levels below the bulletin's scope (0 for the scope's own level).
    var depth: Int
    /// Scheduled person-days (person-shifts).
    var scheduled: Int
    var present: Int
    /// Excused by whole-day leave.
    var excused: Int
    /// Not judged (reader outage, data incomplete).
    var unverified: Int
    /// One line per anomaly kind, in `AnomalyKind.allCases` order.
    var kinds: [KindLine]
    /// Charged anomalies of every kind.
    var charged: Int
    /// The ranking score: charged anomalies per 100 judged person-days.
    var score: Double
    /// Minutes of lateness and early leave together.
    var minutesLate: Int
    /// Minutes away from the post (`off_post`).
    var minutesAway: Int
    /// The previous month: scheduled person-days and score; nil when nothing was judged then (no
    /// data is no comparison).
    var previousScheduled: Int?
    var previousScore: Double?
    /// `score - previousScore`; nil without a previous month.
    var scoreChange: Double?
    /// Rank among its siblings (1 = severest; equal scores share a rank); nil when nothing was judged
    /// (no data) or it has no sibling.
    var rank: Int?

    /// Person-days judged: scheduled less unverified, the base of every rate. A unit with none has
    /// no data for the month and is neither ranked nor compared.
    var judged: Int { scheduled - unverified }

    /// The line of one kind.
    func line(_ kind: AnomalyKind) -> KindLine {
        kinds.first { $0.kind == kind } ?? KindLine(kind: kind, count: 0, minutes: 0, rate: 0)
    }

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case unit, depth, scheduled, present, excused, unverified, kinds, charged, score
        case minutesLate = "minutes_late", minutesAway = "minutes_away", previousScheduled = "previous_scheduled"
        case previousScore = "previous_score", scoreChange = "score_change", rank
    }
}

/// Count, minutes and rate of one anomaly kind in one unit.
struct KindLine: Equatable, Sendable, Codable {
    var kind: AnomalyKind
    var count: Int
    var minutes: Int
    /// Per 100 judged person-days.
    var rate: Double
    var previousCount: Int?
    var previousRate: Double?
    /// `rate - previousRate`.
    var change: Double?

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case kind, count, minutes, rate, previousCount = "previous_count", previousRate = "previous_rate", change
    }
}

/// A unit's place in the ranking.
struct RankedUnit: Equatable, Sendable, Codable {
    var rank: Int
    var unit: UnitPath
    var scheduled: Int
    var charged: Int
    var score: Double
    var previousScore: Double?
    var scoreChange: Double?

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case rank, unit, scheduled, charged, score, previousScore = "previous_score", scoreChange = "score_change"
    }
}

/// A person who crossed a repeat threshold in the month (charged anomalies only).
struct RepeatCase: Equatable, Sendable, Codable {
    var person: String
    var name: String
    var unit: UnitPath
    var late: Int
    var earlyLeave: Int
    var absent: Int
    var offPost: Int
    /// Minutes of lateness and early leave.
    var minutesLate: Int
    var minutesAway: Int
    /// The kinds whose threshold was crossed: `late_early`, `absent`, `off_post`.
    var reasons: [String]

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case person, name, unit, late, earlyLeave = "early_leave", absent, offPost = "off_post"
        case minutesLate = "minutes_late", minutesAway = "minutes_away", reasons
    }
}

/// A serious or critical anomaly, listed by name; HR-excused ones stay listed, marked excused.
struct SeriousCase: Equatable, Sendable, Codable {
    var id: String
    var person: String
    var name: String
    var unit: UnitPath
    var date: CivilDate
    var shift: String
    /// The shift's name (`name = "夜间值班"`), printed instead of its code; nil when it has none.
    var shiftName: String?
    var duty: Bool
    var kind: AnomalyKind
    var minutes: Int
    var severity: Severity
    var review: ReviewState
    var reviewNote: String?

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case id, person, name, unit, date, shift, shiftName = "shift_name", duty, kind, minutes, severity, review
        case reviewNote = "review_note"
    }

    /// What a person reads for the shift: its name, else its code.
    var shiftLabel: String { shiftName ?? shift }
}

/// How completely one agent reported the month.
struct AgentCompleteness: Equatable, Sendable, Codable {
    var agent: String
    var units: [UnitPath]
    /// Days the agent should have reported: from the month's start (or its registration) to the
    /// day before the bulletin was built (or the month's end, or its revocation).
    var expectedDays: Int
    /// Of those, days with a stored summary.
    var receivedDays: Int
    var missing: [CivilDate]
    var lastContact: Date?
    var revoked: Bool

    /// Received over expected, as a percentage (100 when nothing was expected).
    var percent: Double {
        expectedDays == 0 ? 100 : (Double(receivedDays) * 1000 / Double(expectedDays)).rounded() / 10
    }

    /// snake_case, whatever the encoder: the JSON is the same from the command line and the API.
    enum CodingKeys: String, CodingKey {
        case agent, units, expectedDays = "expected_days", receivedDays = "received_days", missing
        case lastContact = "last_contact", revoked
    }
}
