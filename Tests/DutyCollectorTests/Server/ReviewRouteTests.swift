import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// HR review over HTTP: decisions, the audit log, and decisions surviving new revisions.
@Suite struct ReviewRouteTests {
    static func lateCount(_ client: any TestClientProtocol) async throws -> Int {
        let r = try await client.send(.get, "/api/v1/units?from=2026-11-02&to=2026-11-02&unit=\(TestCollector.squad1)",
                                      token: TestCollector.reviewerToken)
        let rows = r.json["units"] as? [[String: Any]] ?? []
        let squad = rows.first { $0["unit"] as? String == TestCollector.squad1 }
        return ((squad?["kinds"] as? [String: [String: Int]])?["late"]?["count"]) ?? 0
    }

    @Test func anExcusedAnomalyLeavesTheCountsAndTheDecisionSurvivesANewRevision() async throws {
        try await TestCollector.run { collector, client in
            let late = Samples.anomaly("1001", .late)
            let other = Samples.anomaly("1002", .late)
            #expect(try await client.post(Samples.summary(revision: 1, anomalies: [late, other])).status == .created)
            #expect(try await Self.lateCount(client) == 2)

            let review = try await client.postJSON(
                "/api/v1/anomalies/\(late.id)/review", #"{"state":"excused","note":"公务外出，有审批单"}"#,
                token: TestCollector.reviewerToken)
            #expect(review.status == .ok)
            #expect(review.json["by"] as? String == "人事科王敏")
            #expect(try await Self.lateCount(client) == 1)

            // A late file brings revision 2 with the same anomaly (same stable id) and a new one.
            let absent = Samples.anomaly("1003", .absent)
            #expect(try await client.post(Samples.summary(revision: 2, anomalies: [late, other, absent])).status == .created)
            #expect(try await Self.lateCount(client) == 1)

            let excused = try await client.send(.get, "/api/v1/anomalies?state=excused", token: TestCollector.adminToken)
            let list = try #require(excused.json["anomalies"] as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == [late.id])
            #expect(list.first?["revision"] as? Int == 2)
            let stored = try await collector.store.anomalies(AnomalyFilter(state: .excused))
            #expect(stored.first?.reviewNote == "公务外出，有审批单")

            let confirm = try await client.postJSON(
                "/api/v1/anomalies/\(other.id)/review", #"{"state":"confirmed","note":"属实","by":"李处长"}"#,
                token: TestCollector.adminToken)
            #expect(confirm.status == .ok)
            let audit = try await client.send(.get, "/api/v1/audit", token: TestCollector.reviewerToken)
            let entries = try #require(audit.json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["anomaly"] as? String } == [late.id, other.id])
            #expect(entries.map { $0["by"] as? String } == ["人事科王敏", "李处长"])
            let one = try await client.send(.get, "/api/v1/audit?anomaly=\(other.id)", token: TestCollector.reviewerToken)
            #expect((one.json["entries"] as? [Any])?.count == 1)
        }
    }

    @Test func badReviewsAreRefusedByField() async throws {
        try await TestCollector.run { _, client in
            let late = Samples.anomaly("1001", .late)
            #expect(try await client.post(Samples.summary(anomalies: [late])).status == .created)
            let uri = "/api/v1/anomalies/\(late.id)/review"
            let cases: [(String, String?, String)] = [
                (#"{"note":"x"}"#, TestCollector.reviewerToken, "state"),
                (#"{"state":"forgiven","note":"x"}"#, TestCollector.reviewerToken, "state"),
                (#"{"state":"excused"}"#, TestCollector.reviewerToken, "note"),
                (#"{"state":"excused","note":"x"}"#, TestCollector.adminToken, "by"),
            ]
            for (body, token, field) in cases {
                let r = try await client.postJSON(uri, body, token: token)
                #expect(r.status == .badRequest, "\(body)")
                #expect(r.json["field"] as? String == field, "\(body)")
            }
            let unknown = try await client.postJSON(
                "/api/v1/anomalies/000000000000/review", #"{"state":"excused","note":"x"}"#, token: TestCollector.reviewerToken)
            #expect(unknown.status == .notFound)
            #expect(try await Self.lateCount(client) == 1)
        }
    }
}
