import Foundation
import Shared
@testable import DutyCollector

/// A store that forwards to a real one but fails the operations named in `failing`, as a
/// database that went away would: for the routes' 5xx answers.
struct FailingStore: CollectorStore {
    /// Which operations fail.
    enum Operation: Sendable { case store, reads, agentLookup }

    let base: any CollectorStore
    let failing: Set<Operation>
    let error: any Error & Sendable

    init(_ base: any CollectorStore, failing: Set<Operation>, error: any Error & Sendable = StoreError.unavailable("connection refused")) {
        self.base = base
        self.failing = failing
        self.error = error
    }

    private func check(_ op: Operation) throws { if failing.contains(op) { throw error } }

    func migrate() async throws { try await base.migrate() }
    func addAgent(_ agent: AgentRecord) async throws { try await base.addAgent(agent) }
    func agent(tokenHash: String) async throws -> AgentRecord? {
        try check(.agentLookup)
        return try await base.agent(tokenHash: tokenHash)
    }
    func agents() async throws -> [AgentRecord] {
        try check(.reads)
        return try await base.agents()
    }
    func revokeAgent(id: String, at: Date) async throws -> Bool { try await base.revokeAgent(id: id, at: at) }
    func store(_ summary: DaySummary, receivedAt: Date) async throws -> StoreOutcome {
        try check(.store)
        return try await base.store(summary, receivedAt: receivedAt)
    }
    func touchAgent(id: String, at: Date) async throws { try await base.touchAgent(id: id, at: at) }
    func unitFigures(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [UnitFigures] {
        try check(.reads)
        return try await base.unitFigures(from: from, to: to, under: under)
    }
    func anomalies(_ filter: AnomalyFilter) async throws -> [StoredAnomaly] {
        try check(.reads)
        return try await base.anomalies(filter)
    }
    func agentHealth(from: CivilDate, to: CivilDate) async throws -> [AgentHealth] {
        try check(.reads)
        return try await base.agentHealth(from: from, to: to)
    }
    func review(_ decision: ReviewDecision) async throws -> Bool { try await base.review(decision) }
    func auditLog(anomalyID: String?) async throws -> [ReviewDecision] { try await base.auditLog(anomalyID: anomalyID) }
    func personCounts(from: CivilDate, to: CivilDate, under: UnitPath?) async throws -> [PersonKindCount] {
        try check(.reads)
        return try await base.personCounts(from: from, to: to, under: under)
    }
    func summary(agent: String, date: CivilDate) async throws -> DaySummary? { try await base.summary(agent: agent, date: date) }
    func dataStamp(from: CivilDate, to: CivilDate) async throws -> DataStamp {
        try check(.reads)
        return try await base.dataStamp(from: from, to: to)
    }
    func close() async {}
    // reviewCounts and unjudgedDays: the protocol's defaults, built on the reads above (a fake
    // that leaves them out still answers them, and the store tests compare both ways).
}
