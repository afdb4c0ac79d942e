import Foundation
import Hummingbird
import HummingbirdAuth
import Logging

/// Turns a console session into the signed-in `ConsoleUser`, ending it when it has been idle or
/// open too long, when its user was disabled, or when the password changed after it began.
///
/// Runs after hummingbird-auth's `SessionMiddleware` (which loaded the session from the database).
/// Sets the page language from the `dw_lang` cookie for every console request, signed in or not.
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let store: any CollectorStore
    let settings: ConsoleSettings
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.cookies["dw_lang"]?.value == "en" { context.language = .en }
        if let session = context.sessions.session {
            let now = SQLValue.milliseconds(clock())
            let account = try await store.user(id: session.userID)
            if let reason = Self.why(session, account: account, now: now, settings: settings) {
                context.logger.info("console session ended", metadata: ["duty.console.user": .stringConvertible(session.userID),
                                                                        "duty.console.reason": .string(reason)])
                context.sessions.clearSession()
                if let name = account?.name {
                    try? await store.record(ConsoleEvent(kind: .signOut, subject: name, actor: nil, address: context.address,
                                                         detail: reason, at: clock()))
                }
            } else if let account {
                context.identity = ConsoleUser(account: account, csrf: session.csrf)
                context.logger[metadataKey: "duty.console.user"] = .string(account.name)
                // The idle clock restarts at most once a minute: not a database write per request.
                if now - session.lastSeen >= 60_000 {
                    context.sessions.withLockedSession { $0?.lastSeen = now }
                }
            }
        }
        return try await next(request, context)
    }

    /// Why the session may not go on, or nil when it may.
    static func why(_ session: ConsoleSession, account: UserAccount?, now: Int, settings: ConsoleSettings) -> String? {
        if now - session.lastSeen > settings.idleMinutes * 60_000 { return "idle time-out" }
        if now - session.createdAt > settings.absoluteHours * 3_600_000 { return "absolute time-out" }
        guard let account else { return "user removed" }
        if account.isDisabled { return "user disabled" }
        if SQLValue.milliseconds(account.passwordChangedAt) > session.createdAt { return "password changed" }
        return nil
    }
}

/// Lets through only signed-in users (of `roles`, when given); sends anyone else to the sign-in
/// page (a GET keeps where it was going) and answers 404 to a signed-in user of another role, as
/// for anything outside their scope.
struct ConsoleRequireUser: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    var roles: Set<UserRole>? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.identity else {
            var target = "/login"
            if request.method == .get, let next = ConsoleLinks.localTarget(request.uri.description), next != "/" {
                target += "?next=" + ConsoleLinks.queryEscape(next)
            }
            return .redirect(to: target, type: .found)
        }
        if let roles, !roles.contains(user.role) { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}
