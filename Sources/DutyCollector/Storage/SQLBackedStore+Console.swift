import Foundation
import Shared

/// The console's tables (users, sessions, explanations, console events) over the same SQL for
/// both databases.
extension SQLBackedStore {
    func addUser(_ user: NewUser) async throws -> UserAccount {
        let units = try String(decoding: JSONEncoder().encode(user.units.map(\.description)), as: UTF8.self)
        let row = try await write { s in
            let rows = try await s.query("""
                INSERT INTO users (name, role, units, person, password_hash, created_at, disabled_at, password_changed_at)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                ON CONFLICT (name) DO NOTHING
                RETURNING \(Self.userColumnList)
                """, [.text(user.name), .text(user.role.rawValue), .text(units), .text(user.person),
                      .text(user.passwordHash), .time(user.createdAt), .time(user.createdAt)])
            if let row = rows.first { return row }
            // This transaction may run twice (a retry after a lost COMMIT answer): the user it wrote
            // the first time is the same in every field, down to the password hash (salted, so no
            // other user's) and the creation time.
            let (person, personBinds) = Self.matches("person", .text(user.person))
            let written = try await s.query("""
                SELECT \(Self.userColumnList) FROM users
                WHERE name = ? AND role = ? AND units = ? AND password_hash = ? AND created_at = ? AND password_changed_at = ?
                  AND \(person)
                """, [.text(user.name), .text(user.role.rawValue), .text(units), .text(user.passwordHash), .time(user.createdAt),
                      .time(user.createdAt)] + personBinds)
            guard let row = written.first else { throw StoreError.conflict("a user named \(user.name) exists") }
            return row
        }
        return Self.userAccount(row)
    }

    func user(name: String) async throws -> UserAccount? {
        try await select("SELECT \(Self.userColumnList) FROM users WHERE name = ?", [.text(name)]).first.map(Self.userAccount)
    }

    func user(id: Int) async throws -> UserAccount? {
        try await select("SELECT \(Self.userColumnList) FROM users WHERE id = ?", [.int(id)]).first.map(Self.userAccount)
    }

    func users() async throws -> [UserAccount] {
        try await select("SELECT \(Self.userColumnList) FROM users ORDER BY name\(dialect.byteOrder)", []).map(Self.userAccount)
    }

    func disableUser(name: String, at: Date) async throws -> Bool {
        try await write { s in
            // Disabling twice keeps the first time.
            !(try await s.query("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE name = ? RETURNING id",
                                [.time(at), .text(name)])).isEmpty
        }
    }

    func setPassword(userID: Int, hash: String, at: Date) async throws -> Bool {
        try await write { s in
            !(try await s.query("""
                UPDATE users SET password_hash = ?, password_changed_at = ?, disabled_at = NULL WHERE id = ? RETURNING id
                """, [.text(hash), .time(at), .int(userID)])).isEmpty
        }
    }

    func putSession(key: String, value: String, expiresAt: Date?, createOnly: Bool, now: Date) async throws {
        try await write { s in
            // Expired sessions go whenever a new one is written, so the table stays the size of the live ones.
            try await s.query("DELETE FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= ?", [.time(now)])
            if createOnly {
                let rows = try await s.query("""
                    INSERT INTO sessions (session_key, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (session_key) DO NOTHING RETURNING session_key
                    """, [.text(key), .text(value), .time(expiresAt)])
                // A session with this (random) key, value and expiry is this one, written by a first
                // run of this transaction whose COMMIT answer was lost: not a clash.
                let (expiry, expiryBinds) = Self.matches("expires_at", .time(expiresAt))
                if rows.isEmpty, try await s.query("SELECT 1 FROM sessions WHERE session_key = ? AND value = ? AND " + expiry,
                                                   [.text(key), .text(value)] + expiryBinds).isEmpty {
                    throw StoreError.conflict("the session exists")
                }
            } else {
                try await s.query("""
                    INSERT INTO sessions (session_key, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (session_key) DO UPDATE SET value = excluded.value,
                        expires_at = COALESCE(excluded.expires_at, sessions.expires_at)
                    """, [.text(key), .text(value), .time(expiresAt)])
            }
        }
    }

    func session(key: String, now: Date) async throws -> (value: String, expiresAt: Date?)? {
        let row = try await select("""
            SELECT value, expires_at FROM sessions WHERE session_key = ? AND (expires_at IS NULL OR expires_at > ?)
            """, [.text(key), .time(now)]).first
        return row.map { ($0.text(0), $0.time(1)) }
    }

    func removeSession(key: String) async throws {
        _ = try await write { s in try await s.query("DELETE FROM sessions WHERE session_key = ?", [.text(key)]) }
    }

    func addExplanation(_ explanation: Explanation) async throws -> Bool {
        try await write { s in
            guard try await !s.query("SELECT 1 FROM anomalies WHERE id = ? LIMIT 1", [.text(explanation.anomalyID)]).isEmpty
            else { return false }
            // Idempotent (a retry after a lost COMMIT answer runs this again): the same text by the
            // same author at the same millisecond is this explanation, already written with its event.
            if try await !s.query("""
                SELECT 1 FROM explanations WHERE anomaly_id = ? AND author = ? AND text = ? AND written_at = ? LIMIT 1
                """, [.text(explanation.anomalyID), .text(explanation.by), .text(explanation.text),
                      .time(explanation.at)]).isEmpty {
                return true
            }
            try await s.query("INSERT INTO explanations (anomaly_id, author, text, written_at) VALUES (?, ?, ?, ?)",
                              [.text(explanation.anomalyID), .text(explanation.by), .text(explanation.text),
                               .time(explanation.at)])
            try await Self.insert(ConsoleEvent(kind: .explanation, subject: explanation.by, actor: nil, address: nil,
                                               detail: "anomaly \(explanation.anomalyID): \(explanation.text)",
                                               at: explanation.at), in: s)
            return true
        }
    }

    func explanations(anomalyID: String) async throws -> [Explanation] {
        try await select("SELECT anomaly_id, author, text, written_at FROM explanations WHERE anomaly_id = ? ORDER BY seq",
                         [.text(anomalyID)]).map { r in
            Explanation(anomalyID: r.text(0), by: r.text(1), text: r.text(2), at: r.time(3) ?? .distantPast)
        }
    }

    func unitPaths() async throws -> [UnitPath] {
        try await select("SELECT ancestor FROM unit_closure GROUP BY ancestor ORDER BY ancestor\(dialect.byteOrder)", []).map {
            UnitPath($0.text(0))
        }
    }

    func topPeople(from: CivilDate, to: CivilDate, under: UnitPath, limit: Int) async throws -> [PersonKindCount] {
        let scope = """
            a.date >= ? AND a.date <= ? AND \(Self.charged) AND a.unit IN (SELECT unit FROM unit_closure WHERE ancestor = ?)
            """
        let period: [SQLValue] = [.text(from.description), .text(to.description), .text(under.description)]
        let sql = """
            SELECT a.person, MAX(a.name), a.unit, a.kind, COUNT(*), CAST(SUM(a.minutes) AS BIGINT)
            FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
            WHERE \(scope) AND a.person IN (
                SELECT person FROM (
                    SELECT a.person AS person FROM anomalies a LEFT JOIN reviews r ON r.anomaly_id = a.id
                    WHERE \(scope) GROUP BY a.person ORDER BY COUNT(*) DESC, a.person\(dialect.byteOrder) LIMIT ?) top)
            GROUP BY a.person, a.unit, a.kind
            ORDER BY a.person\(dialect.byteOrder), a.unit\(dialect.byteOrder), a.kind
            """
        return try await select(sql, period + period + [.int(max(0, limit))]).compactMap { r in
            guard let kind = AnomalyKind(rawValue: r.text(3)) else { return nil }
            return PersonKindCount(person: r.text(0), name: r.text(1), unit: UnitPath(r.text(2)), kind: kind, count: r.int(4),
                                   minutes: r.int(5))
        }
    }

    func record(_ event: ConsoleEvent) async throws {
        // Not made idempotent on purpose: failed sign-ins of one name from one address can come in
        // the same millisecond (an attack in parallel), and each must count for the sign-in delay.
        // A retry after a lost COMMIT answer may log an event twice, which only errs on the strict side.
        try await write { s in try await Self.insert(event, in: s) }
    }

    /// `column = ?` with `value`, or `column IS NULL` without one (a condition for a nullable column
    /// that both databases read alike).
    static func matches(_ column: String, _ value: SQLValue) -> (String, [SQLValue]) {
        value == .null ? (column + " IS NULL", []) : (column + " = ?", [value])
    }

    func events(kinds: Set<ConsoleEvent.Kind>?, limit: Int) async throws -> [ConsoleEvent] {
        var sql = "SELECT kind, subject, actor, address, detail, at FROM console_events"
        var binds: [SQLValue] = []
        if let kinds {
            let sorted = kinds.map(\.rawValue).sorted()
            sql += " WHERE kind IN (" + sorted.map { _ in "?" }.joined(separator: ", ") + ")"
            binds += sorted.map { .text($0) }
        }
        sql += " ORDER BY seq DESC LIMIT ?"
        binds.append(.int(max(0, limit)))
        return try await select(sql, binds).compactMap { r in
            guard let kind = ConsoleEvent.Kind(rawValue: r.text(0)) else { return nil }
            return ConsoleEvent(kind: kind, subject: r.text(1), actor: r.optionalText(2), address: r.optionalText(3),
                                detail: r.text(4), at: r.time(5) ?? .distantPast)
        }
    }

    func recentFailures(name: String, address: String, since: Date) async throws -> SignInFailures {
        let failed = ConsoleEvent.Kind.signInFailed.rawValue
        let (account, byAddress) = try await read { s in
            let account = try await s.query("""
                SELECT COUNT(*), MAX(at) FROM console_events
                WHERE kind = ? AND subject = ? AND at >= ?
                  AND at > COALESCE((SELECT MAX(at) FROM console_events WHERE kind = ? AND subject = ?), 0)
                """, [.text(failed), .text(name), .time(since), .text(ConsoleEvent.Kind.signIn.rawValue), .text(name)])
            let byAddress = try await s.query(
                "SELECT COUNT(*), MAX(at) FROM console_events WHERE kind = ? AND address = ? AND at >= ?",
                [.text(failed), .text(address), .time(since)])
            return (account.first, byAddress.first)
        }
        return SignInFailures(account: account?.int(0) ?? 0, lastForAccount: account?.time(1),
                              address: byAddress?.int(0) ?? 0, lastForAddress: byAddress?.time(1))
    }

    /// Appends `event` inside the caller's transaction.
    static func insert(_ event: ConsoleEvent, in s: any SQLSession) async throws {
        try await s.query("INSERT INTO console_events (kind, subject, actor, address, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                          [.text(event.kind.rawValue), .text(event.subject), .text(event.actor), .text(event.address),
                           .text(event.detail), .time(event.at)])
    }

    static var userColumnList: String {
        "id, name, role, units, person, password_hash, created_at, disabled_at, password_changed_at"
    }

    @Sendable static func userAccount(_ r: SQLRow) -> UserAccount {
        let units = (try? JSONDecoder().decode([String].self, from: Data(r.text(3).utf8))) ?? []
        return UserAccount(id: r.int(0), name: r.text(1), role: UserRole(rawValue: r.text(2)) ?? .staff,
                           units: units.map(UnitPath.init), person: r.optionalText(4), passwordHash: r.text(5),
                           createdAt: r.time(6) ?? .distantPast, disabledAt: r.time(7),
                           passwordChangedAt: r.time(8) ?? .distantPast)
    }
}
