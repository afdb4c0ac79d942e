import Foundation
import Testing
@testable import DutyCollector

/// The batch's agents are locked in one order before their last contact moves, so concurrent
/// batch transactions sharing agents (of one collector or several) cannot deadlock on them: the
/// `UPDATE … FROM (VALUES …)` alone locked them in heap order, and each deadlock cost a second.
/// (`scripts/bench-collector-two.sh` shows the effect: 12-16 deadlocks per 10 s run before, none after.)
@Suite struct AgentContactLockTests {
    /// Records the statements instead of running them.
    final class RecordingSession: SQLSession, @unchecked Sendable {
        let dialect: SQLDialect
        var statements: [(sql: String, binds: [SQLValue])] = []
        init(_ dialect: SQLDialect) { self.dialect = dialect }
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            statements.append((sql, binds))
            return []
        }
    }

    @Test func postgresLocksTheAgentsInIdOrderFirst() async throws {
        let session = RecordingSession(.postgres)
        let at = Date(timeIntervalSince1970: 1_794_880_800)
        try await SummaryWriter.touch(["b": at, "c": at, "a": at.addingTimeInterval(1)], in: session)
        #expect(session.statements.count == 2)
        let lock = try #require(session.statements.first)
        #expect(lock.sql.hasSuffix("ORDER BY id FOR UPDATE"))
        #expect(lock.binds == [.text("a"), .text("b"), .text("c")])
        #expect(session.statements.last?.sql.contains("UPDATE agents SET last_contact") == true)
    }

    @Test func sqliteHoldsTheDatabaseLockAlready() async throws {
        let session = RecordingSession(.sqlite)
        try await SummaryWriter.touch(["a": Date(timeIntervalSince1970: 0)], in: session)
        #expect(session.statements.count == 1)
        #expect(session.statements.first?.sql.contains("FOR UPDATE") == false)
    }
}
