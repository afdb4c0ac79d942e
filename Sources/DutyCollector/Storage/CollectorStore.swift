import Foundation
import Shared

/// Everything the collector keeps, behind one protocol with two real implementations
/// (SQLite, the embedded default, and PostgreSQL) sharing the same migrations and queries.
///
/// Every method is one transaction: when it returns, what it wrote is durable; when it throws,
/// nothing of it was written. Times are kept to the millisecond. Open one with
/// `CollectorStores.open(databaseURL:)`.
protocol CollectorStore: ConsoleStore {
    /// Creates or upgrades the schema. Safe to call on every start and from several collectors at once.
    func migrate() async throws

    // MARK: Agents

    /// Registers an agent with the hash of its token and the unit prefixes it may report on.
    /// Throws `StoreError.conflict` if the id exists and is not revoked.
    func addAgent(_ agent: AgentRecord) async throws
    /// The agent whose token hashes to `tokenHash`, revoked ones included (the caller decides).
    func agent(tokenHash: String) async throws -> AgentRecord?
    func agents() async throws -> [AgentRecord]
    /// Marks the agent revoked; false when there is no such agent.
    func revokeAgent(id: String, at: Date) async throws -> Bool

    // MARK: Summaries

    /// Stores a day summary if it is newer than the stored revision for (agent, date), replacing the
    /// older one's figures and anomalies, and records the agent's last contact — all in one transaction.
    func store(_ summary: DaySummary, receivedAt: Date) async throws -> StoreOutcome
    /// `store(_:receivedAt:)` for a summary already encoded and turned into rows (the route
    /// prepares it once, for the digest check and for the store).
    func store(_ prepared: PreparedSummary) async throws -> StoreOutcome
    /// Records contact from an agent without a summary (a rejected request still counts as contact).
    func touchAgent(id: String, at: Date) async throws

    // MARK: Reading

    /// Figures per unit of the tree for business dates `from...to`, each unit's figures including its
    /// descendants, review decisions applied (excused by HR leaves the counts). Only units at or below
    /// `under` when given.
    func unitFigures(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [UnitFigures]
    /// Anomalies matching the filter, newest revision only, with their review state.
    func anomalies(_ filter: AnomalyFilter) async throws -> [StoredAnomaly]
    /// How many anomalies match the filter (its limit and offset ignored).
    func countAnomalies(_ filter: AnomalyFilter) async throws -> Int
    /// The stored anomaly with this stable id, with its review state; nil when there is none.
    func anomaly(id: String) async throws -> StoredAnomaly?
    /// Per agent: its grant, last contact, last summary, and which dates in `from...to` it sent.
    func agentHealth(from: CivilDate, to: CivilDate) async throws -> [AgentHealth]

    // MARK: Review

    /// Records an HR decision for an anomaly id and appends it to the audit log. Decisions are keyed
    /// by the stable id, so they survive new revisions. False when no stored anomaly has that id.
    func review(_ decision: ReviewDecision) async throws -> Bool
    /// The audit log, oldest first, for one anomaly or all.
    func auditLog(anomalyID: String?) async throws -> [ReviewDecision]

    // MARK: Bulletin and housekeeping

    /// Charged anomalies (not excused by leave, not excused by HR) per person, unit and kind for
    /// business dates `from...to`, units at or below `under` when given; ordered by person, unit, kind.
    /// The bulletin's repeat cases come from here.
    func personCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [PersonKindCount]
    /// How many anomalies of business dates `from...to` (units at or below `under` when given) stand in
    /// each effective review state (`ReviewState.effective`): what the bulletin says was reviewed.
    /// A suspected anomaly is in it only once confirmed (the bulletin leaves suspicions out).
    func reviewCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> ReviewCounts
    /// The (agent, date) pairs of `from...to` whose stored summary judged nobody in the units at or
    /// below `under`: people were scheduled and every instance was unverified (no reader recorded a
    /// punch that date). Dates without data that the bulletin names as such.
    func unjudgedDays(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [AgentDay]
    /// The stored (latest) revision of an agent's day summary, as received.
    func summary(agent: String, date: CivilDate) async throws -> DaySummary?
    /// A fingerprint of everything a bulletin of business dates `from...to` is made of: the
    /// summaries of those dates (how many, their revisions, the latest receipt), the review
    /// decisions on the anomalies of their months (how many) and the agents (added, revoked,
    /// registered again, last contact). Any change to those gives another value, on every collector sharing the database; a cached
    /// bulletin is reused only while it is the same. A few indexed reads, never the anomalies.
    func dataStamp(from: CivilDate, to: CivilDate) async throws -> DataStamp
    /// Releases the database connections; call once at shutdown, after the last use.
    func close() async
}

/// The fingerprint `CollectorStore.dataStamp` reads, in its parts: what figures cached by
/// `StampedCache` are reused against.
struct DataStamp: Equatable, Sendable {
    /// The summaries of the dates: how many, their revisions summed, the latest receipt.
    var summaries: String
    /// The review decisions on the anomalies of the dates' months: how many (a decision on
    /// another month's anomaly leaves it as it was).
    var reviews: Int
    /// The agents registered: how many, how many revoked, the latest revocation and registration.
    var agents: String
    /// The agents' latest contact (every accepted push moves it).
    var contact: Int

    /// The cache's stamp of figures that show the agents' contact times (the bulletin's
    /// completeness table) or not (the overview's and unit page's figures, which only count), so
    /// that an agent's push of another month's summary leaves those figures as they were. Its
    /// decisions are what people did through the collector: reviews, agents added or revoked.
    func stamp(withContact: Bool) -> StampedCache.Stamp {
        let decisions = "\(reviews)/\(agents)"
        return StampedCache.Stamp(data: summaries + "/" + decisions + (withContact ? "/\(contact)" : ""), decisions: decisions)
    }
}

/// Charged anomalies of one kind for one person over a period.
struct PersonKindCount: Equatable, Sendable, Codable {
    var person: String
    var name: String
    /// The unit the anomalies were charged in (a person who moved has a row per unit).
    var unit: UnitPath
    var kind: AnomalyKind
    var count: Int
    var minutes: Int
}

/// Anomalies per effective review state; `excused` includes those excused by leave at the office.
struct ReviewCounts: Equatable, Sendable, Codable {
    var open = 0
    var confirmed = 0
    var excused = 0
    /// Of `excused`, those excused by leave (the office's leaves file) rather than by HR.
    var leaveExcused = 0
    /// 限时办结: of `open`, those still open past the time limit, and the limit in working days
    /// (`[review] review_days`). Set by every bulletin the collector makes (command, API, console);
    /// absent only in a bulletin built without review settings.
    var overdue: Int? = nil
    var reviewDays: Int? = nil
    /// How those working days were counted: true with the holiday calendar of `[review] holidays`
    /// (official days off skipped, make-up working days counted), false Monday to Friday.
    var holidayCalendar: Bool? = nil

    /// Every anomaly counted.
    var total: Int { open + confirmed + excused }
    /// Those HR decided (confirmed or excused by HR).
    var reviewed: Int { confirmed + excused - leaveExcused }

    enum CodingKeys: String, CodingKey {
        case open, confirmed, excused, leaveExcused = "leave_excused", overdue, reviewDays = "review_days"
        case holidayCalendar = "holiday_calendar"
    }
}

/// One agent's business date.
struct AgentDay: Equatable, Hashable, Sendable, Codable {
    var agent: String
    var date: CivilDate
}

/// What happened to a submitted summary.
enum StoreOutcome: Equatable, Sendable {
    /// A new (agent, date) or a newer revision: stored.
    case stored
    /// The same revision with the same digest was already there: nothing changed.
    case unchanged
    /// An older revision than the stored one, or the same revision with different content.
    case stale(storedRevision: Int, storedDigest: String)
}

/// A registered agent.
struct AgentRecord: Equatable, Sendable, Codable {
    var id: String
    var unitPrefixes: [UnitPath]
    /// Hex SHA-256 of the token; the token itself is never stored.
    var tokenHash: String
    var createdAt: Date
    var revokedAt: Date?
    var lastContact: Date?

    /// Whether `unit` lies within one of the agent's prefixes.
    func grants(_ unit: UnitPath) -> Bool { unitPrefixes.contains { unit.isWithin($0) } }
}

/// One unit's figures over a date range, descendants included.
struct UnitFigures: Equatable, Sendable, Codable {
    var unit: UnitPath
    var scheduled: Int
    var present: Int
    var excused: Int
    var unverified: Int
    /// Charged counts and minutes per kind (leave-excused and HR-excused anomalies left out).
    var kinds: [AnomalyKind: KindFigures]
}

/// Which anomalies to list.
struct AnomalyFilter: Equatable, Sendable {
    /// Units at or below this one.
    var under: UnitPath?
    /// A person id or a name.
    var person: String?
    var kind: AnomalyKind?
    var from: CivilDate?
    var to: CivilDate?
    var state: ReviewState?
    /// Include anomalies the agent reported as excused (by leave).
    var includeLeaveExcused: Bool = true
    /// Include suspected anomalies HR has not confirmed (the bulletin leaves them out).
    var includeUnconfirmedSuspected: Bool = true
    /// Only suspected anomalies (true) or only the others (false); nil: both.
    var suspected: Bool? = nil
    var limit: Int?
    /// Skip this many matching anomalies first (paging; with `limit`).
    var offset: Int = 0
    /// Only anomalies at least this grave (the bulletin's serious cases).
    var minSeverity: Severity? = nil
    /// Units at or below any of these (the console's scope); empty matches nothing.
    var within: [UnitPath]? = nil
    /// Exactly this person id (a staff user's own record).
    var personID: String? = nil
    /// Only anomalies of exactly this severity.
    var severity: Severity? = nil
    /// Newest business date first instead of oldest.
    var newestFirst: Bool = false
}

/// An anomaly as stored, with the agent that reported it and its review state.
struct StoredAnomaly: Equatable, Sendable, Codable {
    var agent: String
    var revision: Int
    var anomaly: Anomaly
    var review: ReviewState
    var reviewNote: String?
    var reviewedBy: String?
    var reviewedAt: Date?
}

/// An HR decision, also the audit log's entry.
struct ReviewDecision: Equatable, Sendable, Codable {
    var anomalyID: String
    var state: ReviewState
    var note: String
    var by: String
    var at: Date
}

/// An agent's health for a period.
struct AgentHealth: Equatable, Sendable, Codable {
    var agent: AgentRecord
    var lastSummaryDate: CivilDate?
    var lastSummaryAt: Date?
    /// Business dates in the period with a stored summary.
    var datesReceived: [CivilDate]
}

/// Storage failures the routes turn into answers.
enum StoreError: Error, Equatable, CustomStringConvertible {
    case conflict(String)
    case unavailable(String)

    var description: String {
        switch self {
        case .conflict(let m): "conflict: \(m)"
        case .unavailable(let m): "database unavailable: \(m)"
        }
    }
}

extension CollectorStore {
    /// `reviewCounts` from the anomaly list, for stores without a query of their own (fakes): the
    /// same figures, one row at a time.
    func reviewCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> ReviewCounts {
        var counts = ReviewCounts()
        for a in try await anomalies(AnomalyFilter(under: under, from: from, to: to)) {
            switch a.review {
            case .open: counts.open += 1
            case .confirmed: counts.confirmed += 1
            case .excused:
                counts.excused += 1
                if a.anomaly.excused { counts.leaveExcused += 1 }
            }
        }
        return counts
    }

    /// `unjudgedDays` from the stored summaries, for stores without a query of their own (fakes).
    func unjudgedDays(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [AgentDay] {
        var days: [AgentDay] = []
        for health in try await agentHealth(from: from, to: to) {
            for date in health.datesReceived {
                guard let summary = try await summary(agent: health.agent.id, date: date) else { continue }
                let units = summary.units.filter { under == nil || $0.unit.isWithin(under!) }
                let scheduled = units.reduce(0) { $0 + $1.scheduled }, unverified = units.reduce(0) { $0 + $1.unverified }
                if scheduled > 0, unverified >= scheduled { days.append(AgentDay(agent: health.agent.id, date: date)) }
            }
        }
        return days.sorted { ($0.date, $0.agent) < ($1.date, $1.agent) }
    }

    /// Stores the prepared summary's `summary`, for stores without a prepared path of their own.
    func store(_ prepared: PreparedSummary) async throws -> StoreOutcome {
        try await store(prepared.summary, receivedAt: prepared.receivedAt)
    }
}
