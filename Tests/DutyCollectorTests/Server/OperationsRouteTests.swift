import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// `/healthz`, `/metrics`, request ids and the answers when the database fails.
@Suite struct OperationsRouteTests {
    @Test func healthzChecksTheDatabase() async throws {
        try await TestCollector.run { _, client in
            let r = try await client.send(.get, "/healthz")
            #expect(r.status == .ok)
            #expect(r.json["database"] as? String == "ok")
            #expect(r.headers[.requestID]?.isEmpty == false)
        }
        try await TestCollector.run(store: { FailingStore($0, failing: [.reads]) }) { _, client in
            let r = try await client.send(.get, "/healthz")
            #expect(r.status == .serviceUnavailable)
        }
    }

    @Test func metricsCountReceivedAndRejectedSummariesByReason() async throws {
        try await TestCollector.run { _, client in
            #expect(try await client.post(Samples.summary()).status == .created)
            #expect(try await client.post(Samples.summary()).status == .ok)
            #expect(try await client.post(Samples.summary(agent: "office-b")).status == .forbidden)
            #expect(try await client.post(Samples.summary(), token: "nobody-0000000000000000").status == .unauthorized)
            let r = try await client.send(.get, "/metrics")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = r.text
            #expect(text.contains("summaries_received_total 2"))
            #expect(text.contains(#"summaries_rejected_total{reason="agent_mismatch"} 1"#))
            #expect(text.contains(#"summaries_rejected_total{reason="unknown_token"} 1"#))
            #expect(text.contains("http_request_duration_seconds_count"))
            #expect(text.contains(#"route="/api/v1/summaries""#))
        }
    }

    @Test func aStorageFailureIs503WithJSONAndNothingStored() async throws {
        try await TestCollector.run(store: { FailingStore($0, failing: [.store]) }) { collector, client in
            let r = try await client.post(Samples.summary(anomalies: [Samples.anomaly("1001", .late)]))
            #expect(r.status == .serviceUnavailable)
            #expect(r.json["error"] as? String == "database_unavailable")
            #expect(r.headers[.retryAfter] != nil)
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
        try await TestCollector.run(store: { FailingStore($0, failing: [.store], error: CancellationError()) }) { _, client in
            let r = try await client.post(Samples.summary())
            #expect(r.status == .internalServerError)
            #expect(r.json["error"] as? String == "internal_error")
        }
        try await TestCollector.run(store: { FailingStore($0, failing: [.agentLookup]) }) { _, client in
            let r = try await client.post(Samples.summary())
            #expect(r.status == .serviceUnavailable)
        }
    }
}

extension OperationsRouteTests {
    @Test func unknownRoutesAnswerWithJSON() async throws {
        try await TestCollector.run { _, client in
            let r = try await client.send(.get, "/api/v1/nothing-here", token: TestCollector.adminToken)
            #expect(r.status == .notFound)
            #expect(r.json["error"] as? String == "not_found")
        }
    }
}
