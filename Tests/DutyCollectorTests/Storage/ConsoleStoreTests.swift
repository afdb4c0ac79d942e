import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// The console's tables, the same cases against SQLite and PostgreSQL.
@Suite("Console store")
struct ConsoleStoreTests {
    static func newUser(_ name: String, _ role: UserRole = .hr, units: [String] = [], person: String? = nil) -> NewUser {
        NewUser(name: name, role: role, units: units.map(UnitPath.init), person: person, passwordHash: "$2b$04$hash-of-\(name)",
                createdAt: S.time(0))
    }

    @Test("users: add, a taken name refused, list, disable, a new password re-enables", arguments: StorageBackend.available)
    func users(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let wang = try await store.addUser(Self.newUser("王芳", .manager, units: [S.squad1, S.office]))
            #expect(wang.name == "王芳" && wang.role == .manager && !wang.isDisabled)
            #expect(wang.units.map(\.description) == [S.squad1, S.office])
            #expect(wang.passwordChangedAt == S.time(0))
            await #expect(throws: StoreError.self) { _ = try await store.addUser(Self.newUser("王芳")) }
            let li = try await store.addUser(Self.newUser("li", .staff, person: "p7"))
            #expect(li.person == "p7" && li.id != wang.id)
            #expect(try await store.users().map(\.name) == ["li", "王芳"])
            #expect(try await store.user(name: "li") == li)
            #expect(try await store.user(id: wang.id) == wang)
            #expect(try await store.user(name: "nobody") == nil)

            #expect(try await store.disableUser(name: "li", at: S.time(5)))
            #expect(try await store.disableUser(name: "li", at: S.time(9)))
            #expect(try await store.user(name: "li")?.disabledAt == S.time(5))
            #expect(try await !store.disableUser(name: "nobody", at: S.time(5)))

            #expect(try await store.setPassword(userID: li.id, hash: "$2b$04$new", at: S.time(20)))
            let reset = try #require(try await store.user(name: "li"))
            #expect(reset.passwordHash == "$2b$04$new" && reset.passwordChangedAt == S.time(20) && !reset.isDisabled)
            #expect(try await !store.setPassword(userID: 9_999, hash: "x", at: S.time(20)))
        }
    }

    @Test("sessions: create once, update keeps the expiry, expire, remove", arguments: StorageBackend.available)
    func sessions(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            try await store.putSession(key: "k1", value: "{\"a\":1}", expiresAt: S.time(100), createOnly: true, now: S.time(0))
            await #expect(throws: StoreError.self) {
                try await store.putSession(key: "k1", value: "{}", expiresAt: S.time(100), createOnly: true, now: S.time(0))
            }
            #expect(try await store.session(key: "k1", now: S.time(50))?.value == "{\"a\":1}")
            try await store.putSession(key: "k1", value: "{\"a\":2}", expiresAt: nil, createOnly: false, now: S.time(50))
            let kept = try #require(try await store.session(key: "k1", now: S.time(60)))
            #expect(kept.value == "{\"a\":2}" && kept.expiresAt == S.time(100))
            try await store.putSession(key: "k1", value: "{\"a\":3}", expiresAt: S.time(200), createOnly: false, now: S.time(60))
            #expect(try await store.session(key: "k1", now: S.time(150))?.value == "{\"a\":3}")
            #expect(try await store.session(key: "k1", now: S.time(200)) == nil)
            // Writing another session clears the expired one, which may then be created afresh.
            try await store.putSession(key: "k2", value: "{}", expiresAt: nil, createOnly: true, now: S.time(300))
            try await store.putSession(key: "k1", value: "{}", expiresAt: S.time(400), createOnly: true, now: S.time(300))
            try await store.removeSession(key: "k2")
            #expect(try await store.session(key: "k2", now: S.time(300)) == nil)
            #expect(try await store.session(key: "k1", now: S.time(300)) != nil)
        }
    }

    @Test("explanations: only of a stored anomaly, kept in order and in the audit events", arguments: StorageBackend.available)
    func explanations(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let a = S.anomaly("p1", .late, unit: S.squad1, date: S.day(3))
            _ = try await store.store(S.summary(date: S.day(3), revision: 1, units: [S.squad1: (5, 5)], anomalies: [a]),
                                      receivedAt: S.time(1))
            let first = Explanation(anomalyID: a.id, by: "p1-user", text: "地铁故障，附停运通知", at: S.time(10))
            #expect(try await store.addExplanation(first))
            let second = Explanation(anomalyID: a.id, by: "p1-user", text: "补充：已向科长报备", at: S.time(11))
            #expect(try await store.addExplanation(second))
            #expect(try await !store.addExplanation(Explanation(anomalyID: "no-such", by: "x", text: "y", at: S.time(12))))
            #expect(try await store.explanations(anomalyID: a.id) == [first, second])
            #expect(try await store.explanations(anomalyID: "no-such").isEmpty)
            let logged = try await store.events(kinds: [.explanation], limit: 10)
            #expect(logged.map(\.at) == [S.time(11), S.time(10)])
            #expect(logged.last?.detail.contains(a.id) == true)
        }
    }

    @Test("top people: the most charged first, excused ones left out, within the subtree", arguments: StorageBackend.available)
    func topPeople(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            let anomalies = [
                S.anomaly("p1", .late, unit: S.squad1, date: S.day(3)), S.anomaly("p1", .late, unit: S.squad1, date: S.day(3), shift: "b"),
                S.anomaly("p1", .absent, unit: S.squad1, date: S.day(3), shift: "c"),
                S.anomaly("p2", .late, unit: S.squad2, date: S.day(3)), S.anomaly("p2", .late, unit: S.squad2, date: S.day(3), shift: "b"),
                S.anomaly("p3", .late, unit: S.squad2, date: S.day(3)),
                S.anomaly("p4", .late, unit: S.squad2, date: S.day(3), excused: true),
                S.anomaly("p5", .late, unit: S.office, date: S.day(3)), S.anomaly("p5", .late, unit: S.office, date: S.day(3), shift: "b"),
                S.anomaly("p5", .late, unit: S.office, date: S.day(3), shift: "c"), S.anomaly("p5", .late, unit: S.office, date: S.day(3), shift: "d"),
            ]
            _ = try await store.store(S.summary(date: S.day(3), revision: 1, units: [S.squad1: (5, 5), S.squad2: (5, 5), S.office: (5, 5)],
                                                anomalies: anomalies), receivedAt: S.time(1))
            let top = try await store.topPeople(from: S.day(1), to: S.day(30), under: UnitPath(S.brigade), limit: 2)
            #expect(Set(top.map(\.person)) == ["p1", "p2"])
            #expect(top.filter { $0.person == "p1" }.map(\.count).reduce(0, +) == 3)
            let all = try await store.topPeople(from: S.day(1), to: S.day(30), under: UnitPath(S.brigade), limit: 10)
            #expect(Set(all.map(\.person)) == ["p1", "p2", "p3"], "p4 is excused by leave, p5 is outside")
            #expect(try await store.unitPaths().map(\.description) == [S.root, S.brigade, S.squad1, S.squad2, S.office].sorted())
        }
    }

    @Test("failed sign-ins per account (reset by a success) and per address", arguments: StorageBackend.available)
    func failures(_ backend: StorageBackend) async throws {
        try await backend.withStore { store in
            func event(_ kind: ConsoleEvent.Kind, _ name: String, _ address: String, _ t: Int) -> ConsoleEvent {
                ConsoleEvent(kind: kind, subject: name, actor: nil, address: address, detail: "", at: S.time(t))
            }
            try await store.record(event(.signInFailed, "hr1", "10.0.0.1", 10))
            try await store.record(event(.signInFailed, "hr1", "10.0.0.1", 20))
            try await store.record(event(.signInFailed, "hr2", "10.0.0.1", 30))
            var f = try await store.recentFailures(name: "hr1", address: "10.0.0.1", since: S.time(0))
            #expect(f == SignInFailures(account: 2, lastForAccount: S.time(20), address: 3, lastForAddress: S.time(30)))
            f = try await store.recentFailures(name: "hr1", address: "10.0.0.1", since: S.time(15))
            #expect(f.account == 1 && f.address == 2)
            try await store.record(event(.signIn, "hr1", "10.0.0.2", 40))
            try await store.record(event(.signInFailed, "hr1", "10.0.0.2", 50))
            f = try await store.recentFailures(name: "hr1", address: "10.0.0.9", since: S.time(0))
            #expect(f == SignInFailures(account: 1, lastForAccount: S.time(50), address: 0, lastForAddress: nil))
            let all = try await store.events(kinds: nil, limit: 2)
            #expect(all.map(\.kind) == [.signInFailed, .signIn])
            #expect(try await store.events(kinds: [.signIn, .signOut], limit: 10).count == 1)
        }
    }
}
