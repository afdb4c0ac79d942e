import Foundation
import Hummingbird
import Shared

/// The signed-in user's own account: who they are, what they see, and changing their password.
struct AccountRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let passwords: Passwords
    let clock: @Sendable () -> Date

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("account") { request, context in accountPage(request, context, error: nil, notice: nil, status: .ok) }
        group.post("account/password") { request, context in try await changePassword(request, context) }
    }

    private func accountPage(_ request: Request, _ context: ConsoleRequestContext, error: String?, notice: String?,
                             status: HTTPResponse.Status) -> Response {
        var model = PageModel.base(request, context, titleKey: "account", section: "account")
        if let user = context.identity { model["account"] = Self.describe(user, context.language) }
        if let error { model["error"] = error }
        if let notice { model["notice"] = notice }
        return pages.page("account", model, status: status)
    }

    /// Name, role and scope of `user` for the page.
    static func describe(_ user: ConsoleUser, _ language: Language) -> [String: Any] {
        let scope: String
        if user.role == .staff {
            scope = ConsoleText.text("ownRecord", language) + " (\(user.account.person ?? ""))"
        } else if let units = user.units {
            scope = units.map(\.description).joined(separator: "、")
        } else {
            scope = ConsoleText.text("wholeOrganisation", language)
        }
        return ["name": user.name, "role": ConsoleText.role(user.role, language), "scope": scope]
    }

    /// Checks the current password, the rules and the confirmation; sets the new hash; ends every
    /// other session of the user (they were opened before the change) and opens a new one here.
    private func changePassword(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity else { throw HTTPError(.notFound) }
        var request = request
        let form = try await ConsoleForm.read(&request)
        let language = context.language
        let current = form["current"] ?? ""
        let new = form["new"] ?? ""
        guard try await passwords.verify(current, hash: user.account.passwordHash) else {
            try await store.record(ConsoleEvent(kind: .passwordChanged, subject: user.name, actor: nil, address: context.address,
                                                detail: "refused: wrong current password", at: clock()))
            return accountPage(request, context, error: ConsoleText.text("wrongCurrent", language), notice: nil,
                               status: .badRequest)
        }
        if let problem = Passwords.problem(with: new, name: user.name, language: language) {
            return accountPage(request, context, error: problem, notice: nil, status: .badRequest)
        }
        guard new == form["confirm"] else {
            return accountPage(request, context, error: ConsoleText.text("mismatch", language), notice: nil, status: .badRequest)
        }
        let hash = try await passwords.hash(new)
        let now = clock()
        _ = try await store.setPassword(userID: user.account.id, hash: hash, at: now)
        try await store.record(ConsoleEvent(kind: .passwordChanged, subject: user.name, actor: nil, address: context.address,
                                            detail: "changed", at: now))
        let session = ConsoleSession(userID: user.account.id, now: now)
        context.sessions.clearSession()
        context.sessions.createSession(session, expiresIn: nil)
        var updated = context
        updated.identity = ConsoleUser(account: user.account, csrf: session.csrf)
        return accountPage(request, updated, error: nil, notice: ConsoleText.text("passwordChanged", language), status: .ok)
    }
}
