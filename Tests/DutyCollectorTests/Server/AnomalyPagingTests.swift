import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

/// `GET /api/v1/anomalies` answers a page at a time: a default limit, a maximum, and `offset`.
@Suite struct AnomalyPagingTests {
    @Test func pagesCoverEveryAnomalyOnceInOrder() async throws {
        try await TestCollector.run { _, client in
            let anomalies = (1...25).map { Samples.anomaly(String(1000 + $0), .late) }
            #expect(try await client.post(Samples.summary(anomalies: anomalies)).status == .created)
            var seen: [String] = []
            var offset: Int? = 0
            var pages = 0
            while let o = offset {
                let r = try await client.send(.get, "/api/v1/anomalies?limit=10&offset=\(o)", token: TestCollector.adminToken)
                #expect(r.status == .ok)
                let page = try #require(r.json["anomalies"] as? [[String: Any]])
                #expect(r.json["count"] as? Int == page.count)
                seen += page.compactMap { $0["person"] as? String }
                offset = r.json["next_offset"] as? Int
                pages += 1
                if pages > 5 { break }
            }
            #expect(pages == 3)
            #expect(seen == anomalies.map(\.person).sorted())
        }
    }

    @Test func theDefaultAndTheMaximumLimit() async throws {
        try await TestCollector.run { _, client in
            let all = try await client.send(.get, "/api/v1/anomalies", token: TestCollector.adminToken)
            #expect(all.status == .ok)
            #expect(all.json["next_offset"] == nil)
            #expect(ReadRoutes.defaultLimit == 1_000)
            let tooMany = try await client.send(.get, "/api/v1/anomalies?limit=10001", token: TestCollector.adminToken)
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.json["field"] as? String == "limit")
            let negative = try await client.send(.get, "/api/v1/anomalies?offset=-1", token: TestCollector.adminToken)
            #expect(negative.json["field"] as? String == "offset")
        }
    }

    @Test func theDefaultLimitHoldsWithoutALimitParameter() async throws {
        try await TestCollector.run { _, client in
            // 1,001 anomalies over two days: the first answer stops at 1,000 and says where to go on.
            let day2 = (0..<600).map { Samples.anomaly(String(10_000 + $0), .late) }
            let day3 = (0..<401).map { Samples.anomaly(String(20_000 + $0), .late, date: Samples.day(3)) }
            #expect(try await client.post(Samples.summary(anomalies: day2)).status == .created)
            #expect(try await client.post(Samples.summary(date: Samples.day(3), anomalies: day3)).status == .created)
            let first = try await client.send(.get, "/api/v1/anomalies", token: TestCollector.adminToken)
            #expect(first.json["count"] as? Int == 1_000)
            #expect(first.json["next_offset"] as? Int == 1_000)
            let rest = try await client.send(.get, "/api/v1/anomalies?offset=1000", token: TestCollector.adminToken)
            #expect(rest.json["count"] as? Int == 1)
            #expect(rest.json["next_offset"] == nil)
        }
    }
}
