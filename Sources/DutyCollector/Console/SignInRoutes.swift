import Foundation
import Hummingbird
import HummingbirdAuth
import Shared

/// Sign-in, sign-out and the language switch.
///
/// The sign-in form is protected against cross-site posting by a double-submit token (a
/// `dw_login` cookie and the same value in the form); every later form by the session's token.
/// A successful sign-in opens a new session (a new id, so none planted before survives).
struct SignInRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let passwords: Passwords
    let settings: ConsoleSettings
    let clock: @Sendable () -> Date
    /// A bcrypt hash of a random password at the configured cost, checked for unknown names so they
    /// take as long as known ones.
    let decoyHash: String

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("login") { request, context in
            if context.identity != nil { return Response.redirect(to: "/", type: .normal) }
            return signInPage(request, context, name: "", message: nil, status: .ok)
        }
        group.post("login") { request, context in try await signIn(request, context) }
        group.post("logout") { request, context in try await signOut(request, context) }
        group.get("lang") { request, _ in
            let to = request.uri.queryParameters["to"].map(String.init) == "en" ? "en" : "zh"
            let next = ConsoleLinks.localTarget(request.uri.queryParameters["next"].map(String.init)) ?? "/"
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(Cookie(name: "dw_lang", value: to, maxAge: 365 * 24 * 3600, path: "/", secure: settings.secureCookies,
                                      httpOnly: true, sameSite: .lax))
            return response
        }
    }

    /// The sign-in page with a fresh form token (also set as the `dw_login` cookie).
    private func signInPage(_ request: Request, _ context: ConsoleRequestContext, name: String, message: String?,
                            status: HTTPResponse.Status) -> Response {
        let token = TokenHash.generate()
        var model = PageModel.base(request, context, titleKey: "signInTitle")
        model["loginToken"] = token
        model["name"] = name
        model["next"] = ConsoleLinks.localTarget(request.uri.queryParameters["next"].map(String.init)) ?? ""
        if let message { model["error"] = message }
        var response = pages.page("signin", model, status: status)
        response.setCookie(Cookie(name: "dw_login", value: token, path: "/login", secure: settings.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    private func signIn(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        var request = request
        let form = try await ConsoleForm.read(&request)
        guard ConsoleLinks.tokensMatch(form["csrf"], request.cookies["dw_login"]?.value) else {
            throw ConsoleError.formExpired
        }
        let language = context.language
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["password"] ?? ""
        let now = clock()
        var event = ConsoleEvent(kind: .signInFailed, subject: name, actor: nil, address: context.address, detail: "", at: now)
        let failures = try await store.recentFailures(name: name, address: context.address,
                                                       since: now.addingTimeInterval(-SignInThrottle.window))
        let wait = SignInThrottle.wait(failures, now: now)
        if wait > 0 {
            event.kind = .signInThrottled
            event.detail = "wait \(wait) s"
            try await store.record(event)
            let message = ConsoleText.text("throttled", language).replacingOccurrences(of: "{seconds}", with: "\(wait)")
            var response = signInPage(request, context, name: name, message: message, status: .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        let account = name.isEmpty ? nil : try await store.user(name: name)
        let matches = try await passwords.verify(password, hash: account?.passwordHash ?? decoyHash)
        guard let account, matches, !account.isDisabled else {
            event.detail = account == nil ? "unknown name" : (account!.isDisabled && matches ? "account disabled" : "wrong password")
            try await store.record(event)
            context.logger.notice("console sign-in failed", metadata: ["duty.console.name": .string(name),
                                                                       "duty.console.address": .string(context.address)])
            return signInPage(request, context, name: name, message: ConsoleText.text("badCredentials", language),
                              status: .unauthorized)
        }
        event.kind = .signIn
        try await store.record(event)
        context.sessions.createSession(ConsoleSession(userID: account.id, now: now),
                                       expiresIn: .seconds(settings.absoluteHours * 3600))
        context.logger.info("console sign-in", metadata: ["duty.console.name": .string(name)])
        var response = Response.redirect(to: ConsoleLinks.localTarget(form["next"]) ?? "/", type: .normal)
        response.setCookie(Cookie(name: "dw_login", value: "", maxAge: 0, path: "/login", secure: settings.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    private func signOut(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        if let user = context.identity {
            var request = request
            guard ConsoleLinks.tokensMatch(try await ConsoleForm.read(&request)["csrf"], user.csrf) else {
                throw ConsoleError.formExpired
            }
            try await store.record(ConsoleEvent(kind: .signOut, subject: user.name, actor: nil, address: context.address,
                                                detail: "signed out", at: clock()))
            context.sessions.clearSession()
        }
        return .redirect(to: "/login", type: .normal)
    }
}

/// Console failures shown as pages.
enum ConsoleError: Error {
    /// A form without its CSRF token, or with another session's: 403.
    case formExpired
    /// A form that cannot be carried out as sent (no note, nothing ticked): 400, with the reason.
    case invalid(String, back: String?)
}
