import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// Security headers on every answer, 405 for a wrong method, and the slowing of repeated failed
/// authentication, through the router.
@Suite struct SecurityHeaderTests {
    static func expectSecure(_ r: TestResponse, _ what: String) {
        #expect(r.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy, "\(what)")
        #expect(r.headers[.contentSecurityPolicy]?.contains("http") == false, "\(what): no outside source")
        #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(r.headers[.referrerPolicy] == "no-referrer", "\(what)")
        #expect(r.headers[.xFrameOptions] == "DENY", "\(what)")
        #expect(r.headers[.cacheControl] == "no-store", "\(what)")
        #expect(r.headers[.server] == nil, "\(what): no server name or version")
        #expect(r.headers[.strictTransportSecurity] == nil, "\(what): no HSTS over plain HTTP")
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await TestCollector.run { _, client in
            let answers: [(String, TestResponse)] = [
                ("healthz", try await client.send(.get, "/healthz")),
                ("metrics", try await client.send(.get, "/metrics")),
                ("read 200", try await client.send(.get, "/api/v1/anomalies", token: TestCollector.adminToken)),
                ("401", try await client.send(.get, "/api/v1/anomalies")),
                ("403", try await client.send(.get, "/api/v1/anomalies", token: TestCollector.agentToken)),
                ("400", try await client.postJSON("/api/v1/summaries", "{", token: TestCollector.agentToken)),
                // Outside /api/ an unknown path is the console's 404 page, with the console's policy
                // (ConsolePageTests); the API's 404 keeps this one.
                ("404", try await client.send(.get, "/api/v1/no/such/page")),
                ("405", try await client.send(.delete, "/healthz")),
            ]
            for (what, r) in answers { Self.expectSecure(r, what) }
            #expect(answers.map(\.1.status.code) == [200, 200, 200, 401, 403, 400, 404, 405])
        }
    }

    @Test func aWrongMethodIs405WithAllow() async throws {
        try await TestCollector.run { _, client in
            let get = try await client.send(.get, "/api/v1/summaries", token: TestCollector.agentToken)
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
            #expect(get.json["error"] as? String == "method_not_allowed")
            let put = try await client.send(.put, "/api/v1/agents/office-b", token: TestCollector.adminToken)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "DELETE")
            let post = try await client.send(.post, "/healthz")
            #expect(post.headers[.allow] == "GET")
            // An unknown path is still 404.
            #expect(try await client.send(.post, "/api/v1/nothing").status == .notFound)
        }
    }

    @Test func repeatedBadTokensFromOneAddressAre429WithRetryAfterAndLoggedOnce() async throws {
        let (logger, lines) = CapturingLogHandler.logger()
        try await TestCollector.run(logger: logger) { _, client in
            let maxFailures = AuthThrottle.Policy().maxFailures
            for i in 1...maxFailures {
                let r = try await client.send(.get, "/api/v1/units", token: "guessed-token-\(i)-0000000000")
                #expect(r.status == .unauthorized, "try \(i)")
            }
            for _ in 0..<3 {
                let r = try await client.send(.get, "/api/v1/units", token: "guessed-token-x-0000000000")
                #expect(r.status == .tooManyRequests)
                #expect(r.json["error"] as? String == "too_many_attempts")
                let wait = try #require(r.headers[.retryAfter].flatMap { Int($0) })
                #expect(wait > 0 && wait <= Int(AuthThrottle.Policy().lockout))
                Self.expectSecure(r, "429")
            }
            // While slowed, even a good token waits: the answer must not tell a right guess from a wrong one.
            #expect(try await client.send(.get, "/api/v1/units", token: TestCollector.adminToken).status == .tooManyRequests)
            #expect(try await client.post(Samples.summary()).status == .tooManyRequests)
            let warnings = lines.all.filter { $0.level == .warning && $0.message.contains("failed authentication") }
            #expect(warnings.count == 1)
        }
    }

    @Test func requestsWithoutATokenAreNotCountedAsFailedAuthentication() async throws {
        try await TestCollector.run { _, client in
            for _ in 0..<(AuthThrottle.Policy().maxFailures * 2) {
                let r = try await client.send(.get, "/api/v1/units")
                #expect(r.status == .unauthorized)
            }
            let admin = try await client.send(.get, "/api/v1/units", token: TestCollector.adminToken)
            #expect(admin.status == .ok)
        }
    }

    @Test func theThrottleKeepsAddressesApartAndForgets() async {
        let policy = AuthThrottle.Policy(maxFailures: 3, window: 60, lockout: 30, maxAddresses: 100)
        let throttle = AuthThrottle(policy: policy)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(await throttle.failed("10.0.0.1", now: t0) == .counted)
        #expect(await throttle.failed("10.0.0.1", now: t0.addingTimeInterval(1)) == .counted)
        #expect(await throttle.failed("10.0.0.1", now: t0.addingTimeInterval(2)) == .blocked(retryAfter: 30))
        #expect(await throttle.retryAfter("10.0.0.1", now: t0.addingTimeInterval(12)) == 20)
        #expect(await throttle.retryAfter("10.0.0.2", now: t0.addingTimeInterval(12)) == nil)
        #expect(await throttle.retryAfter("10.0.0.1", now: t0.addingTimeInterval(33)) == nil)
        // Failures spread wider than the window never block.
        for i in 0..<10 { #expect(await throttle.failed("10.0.0.3", now: t0.addingTimeInterval(Double(i) * 31)) == .counted) }
        // Many addresses: the table stays bounded.
        for i in 0..<1_000 { _ = await throttle.failed("10.1.\(i / 256).\(i % 256)", now: t0.addingTimeInterval(400)) }
        #expect(await throttle.count <= policy.maxAddresses)
    }
}
