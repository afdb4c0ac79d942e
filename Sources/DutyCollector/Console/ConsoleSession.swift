import Foundation
import Shared

/// What a console session cookie stands for, kept in the database by `DatabasePersistDriver`.
struct ConsoleSession: Codable, Sendable, Equatable {
    /// The signed-in user's id.
    var userID: Int
    /// The token every form of this session carries (compared in constant time).
    var csrf: String
    /// Milliseconds since 1970 of the sign-in: the absolute time-out counts from here, and a
    /// password set after it ends the session.
    var createdAt: Int
    /// Milliseconds since 1970 of the last request: the idle time-out counts from here.
    var lastSeen: Int

    /// A new session for `userID` opened at `now`, with a fresh CSRF token.
    init(userID: Int, now: Date) {
        self.userID = userID
        self.csrf = TokenHash.generate()
        self.createdAt = SQLValue.milliseconds(now)
        self.lastSeen = self.createdAt
    }
}

/// The signed-in user of a console request and what they may see.
struct ConsoleUser: Sendable, Equatable {
    var account: UserAccount
    /// The session's CSRF token, for the forms of the page.
    var csrf: String

    var name: String { account.name }
    var role: UserRole { account.role }

    /// The subtrees the user sees; nil for the whole organisation (admin, hr without units).
    /// A staff user sees no unit, only their own person.
    var units: [UnitPath]? {
        switch account.role {
        case .admin: nil
        case .hr: account.units.isEmpty ? nil : account.units
        case .manager: account.units
        case .staff: []
        }
    }

    /// Whether the user may review (confirm or excuse) anomalies.
    var mayReview: Bool { account.role == .admin || account.role == .hr }

    /// Whether `unit` lies in the user's scope.
    func sees(unit: UnitPath) -> Bool {
        guard let units else { return true }
        return units.contains { unit.isWithin($0) }
    }

    /// Whether an anomaly of `person` charged in `unit` lies in the user's scope: within their
    /// subtrees, or their own person for staff.
    func sees(person: String, unit: UnitPath) -> Bool {
        if account.role == .staff { return account.person == person }
        return sees(unit: unit)
    }
}
