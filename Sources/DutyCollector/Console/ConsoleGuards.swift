import Foundation
import Hummingbird

/// Refuses a POST whose `csrf` field is not the session's token (403, "form expired").
/// Runs after `ConsoleRequireUser`, so a user is signed in.
struct ConsoleCSRFMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let form = try await ConsoleForm.read(&request)
        guard ConsoleLinks.tokensMatch(form["csrf"], context.identity?.csrf) else {
            context.logger.notice("console form refused: CSRF token missing or wrong")
            throw ConsoleError.formExpired
        }
        return try await next(request, context)
    }
}

/// Shows the console's refusals as pages: 404 (not found, or outside the user's scope: the same
/// page, so nothing tells which) and 403 for a form without its token.
struct ConsoleErrorPages: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let pages: ConsolePages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch ConsoleError.formExpired {
            return page(request, context, titleKey: "formExpiredTitle", messageKey: "formExpired", status: .forbidden)
        } catch ConsoleError.invalid(let message, _) {
            var model = PageModel.base(request, context, titleKey: "invalidTitle")
            model["message"] = message
            return pages.page("error", model, status: .badRequest)
        } catch let error as HTTPError where error.status == .notFound {
            return page(request, context, titleKey: "notFoundTitle", messageKey: "notFound", status: .notFound)
        }
    }

    private func page(_ request: Request, _ context: Context, titleKey: String, messageKey: String,
                      status: HTTPResponse.Status) -> Response {
        var model = PageModel.base(request, context, titleKey: titleKey)
        model["message"] = ConsoleText.text(messageKey, context.language)
        return pages.page("error", model, status: status)
    }
}

/// A path nothing answers, outside the JSON API: the console's 404 page in the user's language
/// (the `dw_lang` cookie), not the router's JSON error. `/api/…` keeps its JSON answers.
///
/// Added to the collector's router, so it also sees requests no route matched; it carries no
/// session, so the page has no navigation, only the way home.
struct ConsoleNotFoundPages: RouterMiddleware {
    typealias Context = CollectorRequestContext

    let pages: ConsolePages

    static func isAPI(_ path: String) -> Bool { path == "/api" || path.hasPrefix("/api/") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && !Self.isAPI(request.uri.path) {
            var console = try ConsoleRequestContext(context: context)
            if request.cookies["dw_lang"]?.value == "en" { console.language = .en }
            var model = PageModel.base(request, console, titleKey: "notFoundTitle")
            model["message"] = ConsoleText.text("notFound", console.language)
            var response = pages.page("error", model, status: .notFound)
            response.headers[.contentSecurityPolicy] = ConsoleContentPolicy<Context>.policy
            return response
        }
    }
}
