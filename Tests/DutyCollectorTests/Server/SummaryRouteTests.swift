import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// `POST /api/v1/summaries`: auth, grants, revisions, validation, limits, all on a real SQLite store.
@Suite struct SummaryRouteTests {
    @Test func noTokenUnknownTokenAndRevokedTokenAre401() async throws {
        try await TestCollector.run { collector, client in
            let body = Samples.body(Samples.summary())
            for (token, reason) in [(nil, "missing_token"), ("not-a-known-token-000000", "unknown_token"),
                                    (TestCollector.revokedAgentToken, "revoked_token")] as [(String?, String)] {
                let r = try await client.send(.post, "/api/v1/summaries", token: token, body: body)
                #expect(r.status == .unauthorized)
                #expect(r.json["error"] as? String == reason)
                #expect(r.headers[.wwwAuthenticate] == "Bearer")
            }
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
    }

    @Test func aUnitOutsideTheGrantIs403AndNothingIsStored() async throws {
        try await TestCollector.run { collector, client in
            // The figures are in the grant, but one anomaly names 办公室, which office-a may not report on.
            let summary = Samples.summary(
                units: [TestCollector.squad1],
                anomalies: [Samples.anomaly("1001", .late), Samples.anomaly("1002", .late, unit: TestCollector.office)])
            let r = try await client.post(summary)
            #expect(r.status == .forbidden)
            #expect(r.json["error"] as? String == "unit_not_granted")
            #expect(r.json["unit"] as? String == TestCollector.office)
            #expect(r.json["field"] as? String == "anomalies[1].unit")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
            #expect(try await collector.store.anomalies(AnomalyFilter()).isEmpty)

            let two = Samples.summary(units: [TestCollector.squad1, TestCollector.office])
            let index = try #require(two.units.firstIndex { $0.unit.description == TestCollector.office })
            let units = try await client.post(two)
            #expect(units.status == .forbidden)
            #expect(units.json["field"] as? String == "units[\(index)].unit")
            #expect(try await collector.store.unitFigures(from: Samples.day(1), to: Samples.day(30), under: nil).isEmpty)
        }
    }

    @Test func aSummaryForAnotherAgentIs403() async throws {
        try await TestCollector.run { collector, client in
            let r = try await client.post(Samples.summary(agent: "office-b"))
            #expect(r.status == .forbidden)
            #expect(r.json["error"] as? String == "agent_mismatch")
            #expect(try await collector.store.summary(agent: "office-b", date: Samples.day(2)) == nil)
        }
    }

    @Test func revisionsOverHTTP() async throws {
        try await TestCollector.run { collector, client in
            let r2 = Samples.summary(revision: 2, anomalies: [Samples.anomaly("1001", .late)])
            let first = try await client.post(r2)
            #expect(first.status == .created)
            #expect(first.json["status"] as? String == "stored")
            #expect(first.json["revision"] as? Int == 2)

            let repeatPost = try await client.post(r2)
            #expect(repeatPost.status == .ok)
            #expect(repeatPost.json["status"] as? String == "unchanged")

            let older = try await client.post(Samples.summary(revision: 1))
            #expect(older.status == .conflict)
            #expect(older.json["error"] as? String == "stale_revision")
            #expect(older.json["stored_revision"] as? Int == 2)
            #expect(older.json["stored_digest"] as? String == r2.digest)
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == r2)

            let r3 = Samples.summary(revision: 3, anomalies: [Samples.anomaly("1001", .late), Samples.anomaly("1003", .absent)])
            #expect(try await client.post(r3).status == .created)
            let stored = try await collector.store.anomalies(AnomalyFilter())
            #expect(Set(stored.map(\.anomaly.person)) == ["1001", "1003"])
            #expect(stored.allSatisfy { $0.revision == 3 })
        }
    }

    @Test func aMissingFieldIsNamed() async throws {
        try await TestCollector.run { _, client in
            var object = try JSONSerialization.jsonObject(with: Data(Samples.body(Samples.summary()).readableBytesView)) as! [String: Any]
            object["date"] = nil
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                          body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)))
            #expect(r.status == .badRequest)
            #expect(r.json["error"] as? String == "missing_field")
            #expect(r.json["field"] as? String == "date")
        }
    }

    @Test func aNestedFieldIsNamedWithItsIndex() async throws {
        try await TestCollector.run { _, client in
            let summary = Samples.summary(units: [TestCollector.squad1, TestCollector.squad2])
            var object = try JSONSerialization.jsonObject(with: Data(Samples.body(summary).readableBytesView)) as! [String: Any]
            var units = object["units"] as! [[String: Any]]
            units[1]["scheduled"] = "ten"
            object["units"] = units
            let r = try await client.send(.post, "/api/v1/summaries", token: TestCollector.agentToken,
                                          body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)))
            #expect(r.status == .badRequest)
            #expect(r.json["field"] as? String == "units[1].scheduled")
        }
    }

    @Test func schemaVersion4IsRefusedByName() async throws {
        try await TestCollector.run { _, client in
            var summary = Samples.summary()
            summary.schema = 4
            let r = try await client.post(summary)
            #expect(r.status == .badRequest)
            #expect(r.json["error"] as? String == "unsupported_schema")
            #expect(r.json["field"] as? String == "schema")
            #expect((r.json["message"] as? String)?.contains("4") == true)

            // A future version with other fields is refused for its version, not for a field.
            let future = try await client.postJSON("/api/v1/summaries", #"{"schema":4,"agent":"office-a","days":[]}"#,
                                                   token: TestCollector.agentToken)
            #expect(future.json["error"] as? String == "unsupported_schema")
            let none = try await client.postJSON("/api/v1/summaries", #"{"agent":"office-a"}"#, token: TestCollector.agentToken)
            #expect(none.json["error"] as? String == "missing_field")
            #expect(none.json["field"] as? String == "schema")
        }
    }

    @Test func suspectedOnlyOnAnOffPostOfAVersion2Summary() async throws {
        try await TestCollector.run { _, client in
            var late = Samples.anomaly("1001", .late)
            late.suspected = true
            let onLate = Samples.summary(anomalies: [late])
            #expect(onLate.schema == 2)
            let r = try await client.post(onLate)
            #expect(r.status == .badRequest)
            #expect(r.json["field"] as? String == "anomalies[0].suspected")

            var away = Samples.anomaly("1002", .offPost, minutes: 300, severity: .critical)
            away.suspected = true
            var old = Samples.summary(anomalies: [away])
            old.schema = 1
            old.digest = old.contentDigest()
            let v1 = try await client.post(old)
            #expect(v1.status == .badRequest)
            #expect(v1.json["field"] as? String == "anomalies[0].suspected")

            let fine = try await client.post(Samples.summary(anomalies: [away]))
            #expect(fine.status == .created)
        }
    }

    @Test func malformedJSONAndAWrongDigestAre400() async throws {
        try await TestCollector.run { collector, client in
            let garbage = try await client.postJSON("/api/v1/summaries", #"{"schema":1,"agent":"#, token: TestCollector.agentToken)
            #expect(garbage.status == .badRequest)
            #expect(garbage.json["error"] as? String == "malformed_json")

            var tampered = Samples.summary(anomalies: [Samples.anomaly("1001", .late)])
            tampered.anomalies[0].minutes = 1
            let r = try await client.post(tampered)
            #expect(r.status == .badRequest)
            #expect(r.json["error"] as? String == "digest_mismatch")
            #expect(r.json["field"] as? String == "digest")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await TestCollector.run(maxBodyKB: 1) { collector, client in
            let many = (0..<40).map { Samples.anomaly(String(2000 + $0), .late) }
            let r = try await client.post(Samples.summary(anomalies: many))
            #expect(r.status == .contentTooLarge)
            #expect(r.json["error"] as? String == "body_too_large")
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
            // A small one still fits.
            #expect(try await client.post(Samples.summary()).status == .created)
        }
    }

    @Test func aRefusedAgentStillCountsAsContact() async throws {
        try await TestCollector.run { collector, client in
            _ = try await client.post(Samples.summary(agent: "office-b"))
            let agent = try await collector.store.agents().first { $0.id == "office-a" }
            #expect(agent?.lastContact == TestCollector.now)
        }
    }
}

extension SummaryRouteTests {
    @Test func contentThatWouldCountTwiceOrNegativeIsRefusedByField() async throws {
        try await TestCollector.run { collector, client in
            let late = Samples.anomaly("1001", .late)
            let otherDay = Samples.anomaly("1002", .late, date: Samples.day(3))
            let cases: [(DaySummary, String)] = [
                (Samples.summary(anomalies: [late, late]), "anomalies[1].id"),
                (Samples.summary(anomalies: [late, otherDay]), "anomalies[1].date"),
                (Samples.summary(scheduled: -1), "units[0].scheduled"),
                (Samples.summary(revision: 0), "revision"),
            ]
            for (summary, field) in cases {
                let r = try await client.post(summary)
                #expect(r.status == .badRequest, "\(field)")
                #expect(r.json["field"] as? String == field)
            }
            #expect(try await collector.store.summary(agent: "office-a", date: Samples.day(2)) == nil)
        }
    }
}
