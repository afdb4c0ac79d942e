import Foundation
import Hummingbird

/// hummingbird-auth's session storage kept in the collector's database (the `sessions` table),
/// so a restart or a second collector over the same PostgreSQL keeps everyone signed in.
///
/// Keys are stored as their SHA-256: the table holds nothing a thief could put in a cookie.
/// Values are JSON. Times come from `clock`, the collector's clock.
struct DatabasePersistDriver: PersistDriver {
    let store: any CollectorStore
    let clock: @Sendable () -> Date

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        do {
            try await store.putSession(key: TokenHash.of(key), value: try Self.encode(value),
                                       expiresAt: expiry(expires), createOnly: true, now: clock())
        } catch StoreError.conflict {
            throw PersistError.duplicate
        }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await store.putSession(key: TokenHash.of(key), value: try Self.encode(value), expiresAt: expiry(expires),
                                   createOnly: false, now: clock())
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = clock()
        guard let stored = try await store.session(key: TokenHash.of(key), now: now) else { return nil }
        let object: Object
        do {
            object = try JSONDecoder().decode(Object.self, from: Data(stored.value.utf8))
        } catch {
            throw PersistError.invalidConversion
        }
        return (object, stored.expiresAt.map { .milliseconds(SQLValue.milliseconds($0) - SQLValue.milliseconds(now)) })
    }

    func remove(key: String) async throws {
        try await store.removeSession(key: TokenHash.of(key))
    }

    private func expiry(_ expires: Duration?) -> Date? {
        expires.map { clock().addingTimeInterval(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
    }

    private static func encode<Object: Encodable>(_ value: Object) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}
