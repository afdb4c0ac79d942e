import Foundation
import Shared

/// What the HR console keeps beside the summaries: user accounts, browser sessions, staff
/// explanations (情况说明) and the console's audit events (sign-ins, failures, sign-outs,
/// password changes, account changes, explanations).
///
/// Part of every `CollectorStore`, so the same migrations and the same SQL serve SQLite and
/// PostgreSQL: sessions live in the database and survive a restart or a second collector.
protocol ConsoleStore: Sendable {
    // MARK: Users

    /// Adds an account. Throws `StoreError.conflict` when the name is taken.
    func addUser(_ user: NewUser) async throws -> UserAccount
    /// The account with this name (names compare exactly), disabled ones included.
    func user(name: String) async throws -> UserAccount?
    /// The account with this id, disabled ones included.
    func user(id: Int) async throws -> UserAccount?
    /// Every account, by name.
    func users() async throws -> [UserAccount]
    /// Disables the account (it keeps its history); false when there is no such name.
    func disableUser(name: String, at: Date) async throws -> Bool
    /// Sets a new password hash and re-enables the account; sessions opened before `at` end.
    /// False when there is no such account.
    func setPassword(userID: Int, hash: String, at: Date) async throws -> Bool

    // MARK: Sessions (a key-value table with expiry, for hummingbird-auth's persist driver)

    /// Stores `value` under `key` until `expiresAt` (nil: no expiry). `createOnly` refuses an
    /// existing live key with `StoreError.conflict`; otherwise the value is replaced, keeping the
    /// old expiry when `expiresAt` is nil.
    func putSession(key: String, value: String, expiresAt: Date?, createOnly: Bool, now: Date) async throws
    /// The value under `key` and its expiry, unless it has expired by `now`.
    func session(key: String, now: Date) async throws -> (value: String, expiresAt: Date?)?
    /// Removes `key`.
    func removeSession(key: String) async throws

    // MARK: Explanations (情况说明)

    /// Adds a staff member's explanation of an anomaly and records it in the console's audit
    /// events. False when no stored anomaly has the id.
    func addExplanation(_ explanation: Explanation) async throws -> Bool
    /// The explanations of an anomaly, oldest first.
    func explanations(anomalyID: String) async throws -> [Explanation]

    // MARK: Pages

    /// Every unit the collector knows (each reported unit and its ancestors), by path.
    func unitPaths() async throws -> [UnitPath]

    /// `personCounts` for only the `limit` people with the most charged anomalies in `from...to`
    /// at or below `under` (most first, then by id): a unit page of a large subtree lists its worst
    /// cases, not every person.
    func topPeople(from: CivilDate, to: CivilDate, under: UnitPath, limit: Int) async throws -> [PersonKindCount]

    // MARK: Console audit events

    /// Appends an event.
    func record(_ event: ConsoleEvent) async throws
    /// The newest `limit` events, newest first; only those of `kinds` when given.
    func events(kinds: Set<ConsoleEvent.Kind>?, limit: Int) async throws -> [ConsoleEvent]
    /// Failed sign-ins since `since`: for the account named `name` (those after its last
    /// successful sign-in), and from `address`; each with the time of the latest.
    func recentFailures(name: String, address: String, since: Date) async throws -> SignInFailures
}

/// The role of a console user (DESIGN, "The HR console").
enum UserRole: String, Sendable, Codable, CaseIterable {
    /// Everything, the whole organisation.
    case admin
    /// Reviews anomalies in their unit subtrees (the whole organisation when none are given).
    case hr
    /// Reads (never reviews) one or more unit subtrees.
    case manager
    /// Their own record only: the person `person`.
    case staff
}

/// An account to create.
struct NewUser: Equatable, Sendable {
    var name: String
    var role: UserRole
    /// The subtrees an `hr` or `manager` sees; empty for `hr` means the whole organisation.
    var units: [UnitPath]
    /// The person id a `staff` account is.
    var person: String?
    /// The bcrypt hash of the password.
    var passwordHash: String
    var createdAt: Date
}

/// A console user as stored.
struct UserAccount: Equatable, Sendable, Codable {
    var id: Int
    var name: String
    var role: UserRole
    var units: [UnitPath]
    var person: String?
    var passwordHash: String
    var createdAt: Date
    var disabledAt: Date?
    /// When the password was last set: sessions opened before it are no longer valid.
    var passwordChangedAt: Date

    var isDisabled: Bool { disabledAt != nil }
}

/// A staff member's answer to an anomaly charged to them.
struct Explanation: Equatable, Sendable, Codable {
    var anomalyID: String
    /// The console user who wrote it.
    var by: String
    var text: String
    var at: Date
}

/// One entry of the console's audit log.
struct ConsoleEvent: Equatable, Sendable, Codable {
    /// What happened. The raw values are stored.
    enum Kind: String, Sendable, Codable, CaseIterable {
        case signIn = "sign_in"
        case signInFailed = "sign_in_failed"
        /// A sign-in refused without checking the password: too many recent failures.
        case signInThrottled = "sign_in_throttled"
        case signOut = "sign_out"
        case passwordChanged = "password_changed"
        case passwordReset = "password_reset"
        case userAdded = "user_added"
        case userDisabled = "user_disabled"
        case explanation
    }

    var kind: Kind
    /// The account the event is about (the name typed, for a failed sign-in).
    var subject: String
    /// Who did it, when not the subject (an admin resetting a password); nil otherwise.
    var actor: String?
    /// The client address, when the event came over HTTP.
    var address: String?
    var detail: String
    var at: Date
}

/// Recent failed sign-ins, for the growing delay.
struct SignInFailures: Equatable, Sendable {
    var account: Int
    var lastForAccount: Date?
    var address: Int
    var lastForAddress: Date?
}
