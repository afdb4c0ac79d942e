import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import Logging

/// Adds the HR console (DESIGN, "The HR console (web)") to the collector's router: the pages at
/// `/`, their assets under `/assets/`, sign-in and sign-out. The JSON API under `/api/v1` is
/// untouched and keeps its bearer tokens.
///
/// Sessions are hummingbird-auth's `SessionMiddleware` over `DatabasePersistDriver` (the `sessions`
/// table); the cookie `dw_session` is HttpOnly, SameSite=Strict, and Secure when
/// `[console] secure_cookies` says so. When the templates cannot be loaded (the resource bundle
/// was not installed beside the binary) every console page answers 503 saying so.
func addConsoleRoutes(
    to router: Router<CollectorRequestContext>, config: CollectorConfig, store: any CollectorStore,
    caches: FigureCaches = FigureCaches(), clock: @escaping @Sendable () -> Date, logger: Logger = Logger(label: "duty-collector")
) {
    let pages: ConsolePages
    do {
        pages = try ConsolePages.load()
    } catch {
        logger.error("console unavailable", metadata: ["duty.error": .string("\(error)")])
        let message = "\(error)"
        for path in ["/", "/login"] {
            router.get(RouterPath(path)) { _, _ -> Response in
                Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
            }
        }
        return
    }
    router.add(middleware: ConsoleNotFoundPages(pages: pages))
    let settings = config.console
    let passwords = Passwords(cost: settings.bcryptCost)
    let cookie = SessionCookieParameters(name: "dw_session", path: "/", secure: settings.secureCookies, sameSite: .strict)
    let sessions = SessionMiddleware<ConsoleRequestContext>(
        storage: DatabasePersistDriver(store: store, clock: clock),
        configuration: SessionMiddlewareConfiguration(
            sessionCookieParameters: cookie, keyPrefix: "console.",
            defaultSessionExpiration: .seconds(settings.absoluteHours * 3600)))

    router.group().add(middleware: ConsoleContentPolicy())
        .get("assets/:name") { _, context in try pages.asset(context.parameters.require("name")) }

    let console = router.group(context: ConsoleRequestContext.self)
        .add(middleware: ConsoleContentPolicy())
        .add(middleware: sessions)
        .add(middleware: ConsoleAuthMiddleware(store: store, settings: settings, clock: clock))
        .add(middleware: ConsoleErrorPages(pages: pages))
    SignInRoutes(store: store, pages: pages, passwords: passwords, settings: settings, clock: clock,
                 decoyHash: Bcrypt.hash(TokenHash.generate(), cost: passwords.cost))
        .register(on: console)

    let signedIn = console.group()
        .add(middleware: ConsoleRequireUser())
        .add(middleware: ConsoleCSRFMiddleware())
    AccountRoutes(store: store, pages: pages, passwords: passwords, clock: clock).register(on: signedIn)
    let zone = config.bulletin.zone
    let review = config.review
    let figures = caches.pages
    OverviewRoute(store: store, pages: pages, zone: zone, review: review, cache: figures, clock: clock).register(on: signedIn)
    ReviewQueueRoutes(store: store, pages: pages, zone: zone, review: review, warmups: caches.warmups, clock: clock).register(on: signedIn)
    AnomalyRoutes(store: store, pages: pages, zone: zone, review: review, warmups: caches.warmups, clock: clock).register(on: signedIn)
    PersonUnitRoutes(store: store, pages: pages, settings: config.bulletin, zone: zone, cache: figures, clock: clock)
        .register(on: signedIn)
    AdminPages(store: store, pages: pages, passwords: passwords, zone: zone, clock: clock).register(on: signedIn)
    BulletinRoutes(store: store, pages: pages, settings: config.bulletin, zone: zone, review: review, cache: caches.bulletins,
                   clock: clock)
        .register(on: signedIn)
}
