import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// Which token opens which route.
@Suite struct AccessTests {
    /// Every route that is not `POST /api/v1/summaries`, with a body where it takes one.
    static let protectedRoutes: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/v1/units?from=2026-11-01&to=2026-11-30", nil),
        (.get, "/api/v1/anomalies", nil),
        (.get, "/api/v1/agents", nil),
        (.get, "/api/v1/bulletin?month=2026-11", nil),
        (.get, "/api/v1/audit", nil),
        (.post, "/api/v1/anomalies/abc/review", #"{"state":"excused","note":"n","by":"b"}"#),
        (.post, "/api/v1/agents", #"{"id":"x","units":["市场监管局"]}"#),
        (.delete, "/api/v1/agents/office-b", nil),
    ]

    @Test func agentTokensOpenNothingButSummaries() async throws {
        try await TestCollector.run { collector, client in
            for (method, uri, body) in Self.protectedRoutes {
                let r = try await client.send(method, uri, token: TestCollector.agentToken, body: body.map { ByteBuffer(string: $0) })
                #expect(r.status == .forbidden, "\(method) \(uri)")
                #expect(r.json["error"] as? String == "forbidden_role")
            }
            // Nothing happened: office-b is still active and no agent x was added.
            let agents = try await collector.store.agents()
            #expect(agents.first { $0.id == "office-b" }?.revokedAt == nil)
            #expect(!agents.contains { $0.id == "x" })
        }
    }

    @Test func noTokenIs401Everywhere() async throws {
        try await TestCollector.run { _, client in
            for (method, uri, body) in Self.protectedRoutes {
                let r = try await client.send(method, uri, token: nil, body: body.map { ByteBuffer(string: $0) })
                #expect(r.status == .unauthorized, "\(method) \(uri)")
            }
            let wrongScheme = try await client.execute(uri: "/api/v1/units", method: .get, headers: [.authorization: "Basic abc"])
            #expect(wrongScheme.status == .unauthorized)
        }
    }

    @Test func reviewersReadAndReviewButDoNotAdminister() async throws {
        try await TestCollector.run { _, client in
            #expect(try await client.send(.get, "/api/v1/units", token: TestCollector.reviewerToken).status == .ok)
            #expect(try await client.send(.get, "/api/v1/anomalies", token: TestCollector.reviewerToken).status == .ok)
            let add = try await client.postJSON("/api/v1/agents", #"{"id":"x","units":["市场监管局"]}"#, token: TestCollector.reviewerToken)
            #expect(add.status == .forbidden)
            #expect(try await client.send(.delete, "/api/v1/agents/office-b", token: TestCollector.reviewerToken).status == .forbidden)
            // Neither admins nor reviewers submit summaries.
            #expect(try await client.post(Samples.summary(), token: TestCollector.reviewerToken).status == .forbidden)
            #expect(try await client.post(Samples.summary(), token: TestCollector.adminToken).status == .forbidden)
        }
    }

    @Test func theAdminIssuesAndRevokesAgentTokens() async throws {
        try await TestCollector.run { collector, client in
            let add = try await client.postJSON(
                "/api/v1/agents", #"{"id":"office-c","units":["市场监管局/执法大队/二中队"]}"#, token: TestCollector.adminToken)
            #expect(add.status == .created)
            let token = try #require(add.json["token"] as? String)
            #expect(token.count >= 43)
            let stored = try #require(try await collector.store.agents().first { $0.id == "office-c" })
            #expect(stored.tokenHash == TokenHash.of(token))
            #expect(stored.tokenHash != token)

            // The new token works for its own units only.
            let own = Samples.summary(agent: "office-c", units: [TestCollector.squad2])
            #expect(try await client.post(own, token: token).status == .created)
            let outside = Samples.summary(agent: "office-c", date: Samples.day(3), units: [TestCollector.squad1])
            #expect(try await client.post(outside, token: token).status == .forbidden)

            let again = try await client.postJSON("/api/v1/agents", #"{"id":"office-c","units":["市场监管局"]}"#, token: TestCollector.adminToken)
            #expect(again.status == .conflict)
            let missing = try await client.postJSON("/api/v1/agents", #"{"id":"office-d"}"#, token: TestCollector.adminToken)
            #expect(missing.status == .badRequest)
            #expect(missing.json["field"] as? String == "units")

            #expect(try await client.send(.delete, "/api/v1/agents/office-c", token: TestCollector.adminToken).status == .ok)
            #expect(try await client.send(.delete, "/api/v1/agents/nobody", token: TestCollector.adminToken).status == .notFound)
            let after = try await client.post(Samples.summary(agent: "office-c", date: Samples.day(4), units: [TestCollector.squad2]), token: token)
            #expect(after.status == .unauthorized)
            #expect(after.json["error"] as? String == "revoked_token")
        }
    }

    @Test func theReadAPIShowsFiguresAnomaliesAndAgents() async throws {
        try await TestCollector.run { _, client in
            let anomalies = [Samples.anomaly("1001", .late, minutes: 15), Samples.anomaly("2001", .absent, unit: TestCollector.squad2, minutes: 480)]
            #expect(try await client.post(Samples.summary(units: [TestCollector.squad1, TestCollector.squad2], anomalies: anomalies)).status == .created)

            let units = try await client.send(.get, "/api/v1/units?from=2026-11-01&to=2026-11-30&unit=市场监管局/执法大队", token: TestCollector.adminToken)
            #expect(units.status == .ok)
            let rows = try #require(units.json["units"] as? [[String: Any]])
            let brigade = try #require(rows.first { $0["unit"] as? String == "市场监管局/执法大队" })
            #expect(brigade["scheduled"] as? Int == 20)
            let kinds = try #require(brigade["kinds"] as? [String: [String: Int]])
            #expect(kinds["late"]?["count"] == 1)
            #expect(kinds["late"]?["minutes"] == 15)
            #expect(kinds["absent"]?["count"] == 1)

            let late = try await client.send(.get, "/api/v1/anomalies?kind=late&state=open", token: TestCollector.reviewerToken)
            let list = try #require(late.json["anomalies"] as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list.first?["person"] as? String == "1001")
            #expect(list.first?["agent"] as? String == "office-a")
            #expect((list.first?["review"] as? [String: Any])?["state"] as? String == "open")

            let badKind = try await client.send(.get, "/api/v1/anomalies?kind=sleepy", token: TestCollector.reviewerToken)
            #expect(badKind.status == .badRequest)
            #expect(badKind.json["field"] as? String == "kind")
            let badDate = try await client.send(.get, "/api/v1/units?from=2026-13-01", token: TestCollector.reviewerToken)
            #expect(badDate.status == .badRequest)
            #expect(badDate.json["field"] as? String == "from")

            let agents = try await client.send(.get, "/api/v1/agents?from=2026-11-01&to=2026-11-03", token: TestCollector.adminToken)
            let health = try #require(agents.json["agents"] as? [[String: Any]])
            let a = try #require(health.first { $0["id"] as? String == "office-a" })
            #expect(a["dates_received"] as? [String] == ["2026-11-02"])
            #expect(a["dates_missing"] as? [String] == ["2026-11-01", "2026-11-03"])
            #expect(a["last_summary_date"] as? String == "2026-11-02")
        }
    }
}

extension AccessTests {
    @Test func theBulletinIsServedAsJSON() async throws {
        try await TestCollector.run { _, client in
            let anomalies = [Samples.anomaly("1001", .late), Samples.anomaly("1002", .absent, severity: .serious)]
            #expect(try await client.post(Samples.summary(anomalies: anomalies)).status == .created)
            let r = try await client.send(.get, "/api/v1/bulletin?month=2026-11", token: TestCollector.reviewerToken)
            #expect(r.status == .ok)
            let units = try #require(r.json["units"] as? [[String: Any]])
            #expect(units.contains { $0["unit"] as? String == TestCollector.squad1 })
            let serious = try #require(r.json["serious_cases"] as? [[String: Any]])
            #expect(serious.count == 1)
            // 限时办结 from `[review]` (default 5 working days): on Wednesday 18 November both
            // anomalies of Monday 2 are open past the limit.
            let review = try #require(r.json["review"] as? [String: Any])
            #expect(review["overdue"] as? Int == 2 && review["review_days"] as? Int == 5 && review["holiday_calendar"] as? Bool == false)
            // A decision changes the next answer (the bulletin is not served stale from its cache).
            let decided = try await client.postJSON("/api/v1/anomalies/\(anomalies[0].id)/review",
                                                    #"{"state":"excused","note":"公务外出，有审批单"}"#, token: TestCollector.reviewerToken)
            #expect(decided.status == .ok)
            let after = try await client.send(.get, "/api/v1/bulletin?month=2026-11", token: TestCollector.reviewerToken)
            #expect((after.json["review"] as? [String: Any])?["overdue"] as? Int == 1)

            let bad = try await client.send(.get, "/api/v1/bulletin?month=2026-13", token: TestCollector.reviewerToken)
            #expect(bad.status == .badRequest)
            #expect(bad.json["field"] as? String == "month")
            let missing = try await client.send(.get, "/api/v1/bulletin", token: TestCollector.reviewerToken)
            #expect(missing.json["field"] as? String == "month")
        }
    }
}
