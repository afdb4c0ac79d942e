import Foundation
import Shared
@testable import DutyCollector

/// The console's storage, forwarded unchanged (no route test needs it to fail yet).
extension FailingStore {
    func addUser(_ user: NewUser) async throws -> UserAccount { try await base.addUser(user) }
    func user(name: String) async throws -> UserAccount? { try await base.user(name: name) }
    func user(id: Int) async throws -> UserAccount? { try await base.user(id: id) }
    func users() async throws -> [UserAccount] { try await base.users() }
    func disableUser(name: String, at: Date) async throws -> Bool { try await base.disableUser(name: name, at: at) }
    func setPassword(userID: Int, hash: String, at: Date) async throws -> Bool {
        try await base.setPassword(userID: userID, hash: hash, at: at)
    }
    func putSession(key: String, value: String, expiresAt: Date?, createOnly: Bool, now: Date) async throws {
        try await base.putSession(key: key, value: value, expiresAt: expiresAt, createOnly: createOnly, now: now)
    }
    func session(key: String, now: Date) async throws -> (value: String, expiresAt: Date?)? {
        try await base.session(key: key, now: now)
    }
    func removeSession(key: String) async throws { try await base.removeSession(key: key) }
    func addExplanation(_ explanation: Explanation) async throws -> Bool { try await base.addExplanation(explanation) }
    func explanations(anomalyID: String) async throws -> [Explanation] { try await base.explanations(anomalyID: anomalyID) }
    func record(_ event: ConsoleEvent) async throws { try await base.record(event) }
    func events(kinds: Set<ConsoleEvent.Kind>?, limit: Int) async throws -> [ConsoleEvent] {
        try await base.events(kinds: kinds, limit: limit)
    }
    func recentFailures(name: String, address: String, since: Date) async throws -> SignInFailures {
        try await base.recentFailures(name: name, address: address, since: since)
    }
}

/// The console's reads, failing with the other reads.
extension FailingStore {
    func countAnomalies(_ filter: AnomalyFilter) async throws -> Int {
        if failing.contains(.reads) { throw error }
        return try await base.countAnomalies(filter)
    }
    func unitPaths() async throws -> [UnitPath] {
        if failing.contains(.reads) { throw error }
        return try await base.unitPaths()
    }
    func topPeople(from: CivilDate, to: CivilDate, under: UnitPath, limit: Int) async throws -> [PersonKindCount] {
        if failing.contains(.reads) { throw error }
        return try await base.topPeople(from: from, to: to, under: under, limit: limit)
    }
    func anomaly(id: String) async throws -> StoredAnomaly? {
        if failing.contains(.reads) { throw error }
        return try await base.anomaly(id: id)
    }
}
