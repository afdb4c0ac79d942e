import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness

/// Sign-in, sessions, CSRF, delays and sign-out of the console, through the router.
@Suite("Console sign-in")
struct SignInTests {
    @Test func pagesAndAssetsMayLoadOnlyTheCollectorsOwnFilesAndPostOnlyToIt() async throws {
        try await H.run { h in
            let browser = h.browser()
            for response in [try await browser.get("/login"), try await browser.get("/assets/console.css")] {
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy == ConsoleContentPolicy<ConsoleRequestContext>.policy)
                #expect(policy.contains("form-action 'self'") && policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("http") && !policy.contains("*"))
                #expect(response.headers[.xFrameOptions] == "DENY" && response.headers[.xContentTypeOptions] == "nosniff")
            }
            // The sign-in form posts: the old policy (form-action 'none') kept every browser from sending it.
            #expect(try await browser.signIn("hr-squad1", H.password).status == .seeOther)
            // The API keeps the policy of no source at all.
            #expect(try await browser.get("/api/v1/units").headers[.contentSecurityPolicy]
                    == SecurityHeadersMiddleware.contentSecurityPolicy)
        }
    }

    @Test func signingInOpensADatabaseSessionWithAStrictHttpOnlyCookie() async throws {
        try await H.run { h in
            let browser = h.browser()
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.text.contains("name=\"password\""))
            let loginCookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("dw_login=") })
            #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict"))

            let signedIn = try await browser.signIn("hr-squad1", H.password)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("dw_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("hr-squad1"))
            #expect(try await browser.get("/account").text.contains(H.squad1))
            #expect(home.headers[.cacheControl] == "no-store")

            // The database holds the session under the hash of its id, not the id itself.
            let id = try #require(browser.cookies["dw_session"])
            #expect(try await h.store.session(key: TokenHash.of("console." + id), now: h.clock.now) != nil)
            #expect(try await h.store.session(key: "console." + id, now: h.clock.now) == nil)
            let events = try await h.store.events(kinds: [.signIn], limit: 5)
            #expect(events.map(\.subject) == ["hr-squad1"])
        }
    }

    @Test func aSessionSurvivesARestartOfTheCollector() async throws {
        try await H.run { h in
            let browser = try await h.signedIn("admin")
            let cookie = "dw_session=\(try #require(browser.cookies["dw_session"]))"
            var config = CollectorConfig.defaults(directory: FileManager.default.temporaryDirectory)
            config.console.bcryptCost = 4
            var logger = Logger(label: "second")
            logger.logLevel = .critical
            let second = buildApplication(config: config, store: h.store, logger: logger, clock: { h.clock.now })
            try await second.test(.router) { client in
                let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie], body: nil)
                #expect(home.status == .ok)
                #expect(String(buffer: home.body).contains("admin"))
            }
        }
    }

    @Test func aWrongPasswordAnUnknownNameAndADisabledAccountGetTheSameAnswer() async throws {
        try await H.run { h in
            for (name, password) in [("hr-all", "wrong-password-1"), ("nobody", H.password), ("gone", H.password)] {
                let browser = h.browser()
                let response = try await browser.signIn(name, password)
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.text.contains(ConsoleText.text("badCredentials", .zh)))
                #expect(browser.cookies["dw_session"] == nil)
                #expect(try await browser.get("/").status == .found)
            }
            let failed = try await h.store.events(kinds: [.signInFailed], limit: 10)
            #expect(Set(failed.map(\.subject)) == ["hr-all", "nobody", "gone"])
            #expect(failed.first { $0.subject == "gone" }?.detail == "account disabled")
        }
    }

    @Test func failedSignInsMakeTheAccountWaitLongerEachTime() async throws {
        try await H.run { h in
            let browser = h.browser()
            for _ in 0..<3 { #expect(try await browser.signIn("hr-all", "wrong-password-x").status == .unauthorized) }
            // Even the right password is not checked during the wait.
            let refused = try await browser.signIn("hr-all", H.password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "5")
            #expect(refused.text.contains("5 秒后再试"))
            h.clock.advance(seconds: 6)
            #expect(try await browser.signIn("hr-all", "wrong-password-y").status == .unauthorized)
            #expect(try await browser.signIn("hr-all", H.password).headers[.retryAfter] == "10")
            h.clock.advance(seconds: 11)
            #expect(try await browser.signIn("hr-all", H.password).status == .seeOther)
            // The success reset the account's count.
            let again = h.browser()
            #expect(try await again.signIn("hr-all", "wrong-password-z").status == .unauthorized)
            #expect(try await again.signIn("hr-all", H.password).status == .seeOther)
            #expect(try await h.store.events(kinds: [.signInThrottled], limit: 10).count == 2)
        }
    }

    @Test func failuresFromOneAddressAcrossAccountsSlowThatAddress() async throws {
        try await H.run { h in
            for i in 0..<10 {
                let guess = try await h.browser().signIn("guess-\(i)", "wrong-password-x")
                #expect(guess.status == .unauthorized)
            }
            // The route tests' transport has no address: every request comes from "local".
            let admin = h.browser()
            #expect(try await admin.signIn("admin", H.password).status == .tooManyRequests)
            h.clock.advance(seconds: 6)
            #expect(try await admin.signIn("admin", H.password).status == .seeOther)
        }
    }

    @Test func formsWithoutTheirTokenAreRefused() async throws {
        try await H.run { h in
            let anonymous = h.browser()
            _ = try await anonymous.get("/login")
            let forged = try await anonymous.post("/login", [("name", "admin"), ("password", H.password)])
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains(ConsoleText.text("formExpired", .zh)))
            // A token from the form without the matching cookie is refused too.
            let other = h.browser()
            let token = try #require(ConsoleBrowser.hidden("csrf", in: try await other.get("/login").text))
            anonymous.setCookie("dw_login", "something-else")
            #expect(try await anonymous.post("/login", [("csrf", token), ("name", "admin"), ("password", H.password)]).status
                == .forbidden)

            let browser = try await h.signedIn("hr-all")
            let fields = [("current", H.password), ("new", "a-new-password-42"), ("confirm", "a-new-password-42")]
            #expect(try await browser.post("/account/password", fields).status == .forbidden)
            #expect(try await browser.post("/account/password", fields + [("csrf", "wrong")]).status == .forbidden)
            #expect(try await browser.post("/logout", []).status == .forbidden)
            #expect(try await browser.get("/").status == .ok)
            let stored = try #require(try await h.store.user(name: "hr-all"))
            #expect(stored.passwordChangedAt < h.clock.now)
        }
    }

    @Test func signingOutEndsTheSessionInTheDatabase() async throws {
        try await H.run { h in
            let browser = try await h.signedIn("manager-squad2")
            let id = try #require(browser.cookies["dw_session"])
            let out = try await browser.post("/logout", [("csrf", try await browser.csrf())])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            #expect(browser.cookies["dw_session"] == nil)
            // Replaying the old cookie does not bring the session back.
            browser.setCookie("dw_session", id)
            let replay = try await browser.get("/")
            #expect(replay.status == .found)
            #expect(replay.headers[.location] == "/login")
            #expect(try await h.store.events(kinds: [.signOut], limit: 5).map(\.subject) == ["manager-squad2"])
        }
    }

    @Test func anIdleSessionEndsAndSoDoesABusyOneAfterTheAbsoluteLimit() async throws {
        try await H.run(configure: { $0.console.idleMinutes = 30; $0.console.absoluteHours = 2 }) { h in
            let idle = try await h.signedIn("hr-all")
            h.clock.advance(seconds: 29 * 60)
            #expect(try await idle.get("/").status == .ok)
            h.clock.advance(seconds: 29 * 60)
            #expect(try await idle.get("/").status == .ok, "the last request restarted the idle clock")
            h.clock.advance(seconds: 31 * 60)
            let expired = try await idle.get("/account")
            #expect(expired.status == .found)
            #expect(expired.headers[.location] == "/login?next=/account")
            #expect(try await h.store.events(kinds: [.signOut], limit: 5).first?.detail == "idle time-out")

            let busy = try await h.signedIn("admin")
            for _ in 0..<4 {
                h.clock.advance(seconds: 25 * 60)
                #expect(try await busy.get("/").status == .ok)
            }
            h.clock.advance(seconds: 25 * 60)
            #expect(try await busy.get("/").status == .found)
        }
    }

    @Test func changingThePasswordEndsTheOtherSessions() async throws {
        try await H.run { h in
            let laptop = try await h.signedIn("hr-squad1")
            let phone = try await h.signedIn("hr-squad1")
            let csrf = try await laptop.csrf()
            let wrong = try await laptop.post("/account/password", [("csrf", csrf), ("current", "not-it-at-all"),
                                                                     ("new", "a-new-password-42"), ("confirm", "a-new-password-42")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains(ConsoleText.text("wrongCurrent", .zh)))
            let short = try await laptop.post("/account/password", [("csrf", csrf), ("current", H.password), ("new", "short"),
                                                                     ("confirm", "short")])
            #expect(short.status == .badRequest)
            let differ = try await laptop.post("/account/password", [("csrf", csrf), ("current", H.password),
                                                                      ("new", "a-new-password-42"), ("confirm", "a-new-password-43")])
            #expect(differ.text.contains(ConsoleText.text("mismatch", .zh)))

            h.clock.advance(seconds: 1)
            let changed = try await laptop.post("/account/password", [("csrf", csrf), ("current", H.password),
                                                                       ("new", "a-new-password-42"), ("confirm", "a-new-password-42")])
            #expect(changed.status == .ok)
            #expect(changed.text.contains(ConsoleText.text("passwordChanged", .zh)))
            #expect(try await laptop.get("/").status == .ok, "the session that changed it goes on")
            #expect(try await phone.get("/").status == .found, "the other one has ended")
            let fresh = h.browser()
            #expect(try await fresh.signIn("hr-squad1", H.password).status == .unauthorized)
            #expect(try await fresh.signIn("hr-squad1", "a-new-password-42").status == .seeOther)
            #expect(try await h.store.events(kinds: [.passwordChanged], limit: 5).first?.detail == "changed")
        }
    }

    @Test func aDisabledUserIsSignedOutAtTheNextRequest() async throws {
        try await H.run { h in
            let browser = try await h.signedIn("hr-all")
            _ = try await h.store.disableUser(name: "hr-all", at: h.clock.now)
            #expect(try await browser.get("/").status == .found)
        }
    }

    @Test func theCookieIsSecureWhenConfiguredAndNextStaysOnTheSite() async throws {
        try await H.run(configure: { $0.console.secureCookies = true }) { h in
            let browser = h.browser()
            let response = try await browser.signIn("admin", H.password, next: "/account")
            #expect(response.headers[.location] == "/account")
            #expect(response.headers[values: .setCookie].first { $0.hasPrefix("dw_session=") }?.contains("Secure") == true)
            for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                let other = h.browser()
                #expect(try await other.signIn("admin", H.password, next: next).headers[.location] == "/", "\(next)")
            }
        }
    }

    @Test func theBearerAPIIsUnchangedAndTheLanguageSwitchSticks() async throws {
        try await H.run { h in
            let api = try await h.client.send(.get, "/api/v1/agents", token: TestCollector.adminToken)
            #expect(api.status == .ok)
            #expect(try await h.client.send(.get, "/api/v1/agents").status == .unauthorized)

            let browser = h.browser()
            let switched = try await browser.get("/lang?to=en&next=/login")
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/login")
            #expect(browser.cookies["dw_lang"] == "en")
            let page = try await browser.get("/login")
            #expect(page.text.contains("Sign in to DutyWatch") && page.text.contains("lang=\"en\""))
            #expect(try await browser.get("/lang?to=zh&next=https://evil.example").headers[.location] == "/")
        }
    }

    @Test func assetsAreServedByTheCollector() async throws {
        try await H.run { h in
            let css = try await h.client.execute(uri: "/assets/console.css", method: .get, headers: [:], body: nil)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let anonymous = h.browser()
            let page = try await anonymous.get("/login")
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "no outside URL")
            #expect(!page.text.contains("<style") && !page.text.contains("<script>"), "no inline style or script")
            #expect(try await h.client.execute(uri: "/assets/nope.css", method: .get, headers: [:], body: nil).status == .notFound)
        }
    }
}
