import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
@testable import DutyCollector

private typealias H = ConsoleHarness

/// Every console route × every role × in and out of scope, through the router: outside the
/// user's subtrees (or own person, for staff) the answer is 404, and nothing is written.
@Suite("Console scope")
struct ConsoleScopeTests {
    /// 1001 of 一中队 and 2001 of 二中队: one anomaly each to review, one each to explain.
    static let a1 = Samples.anomaly("1001", .late, unit: H.squad1, date: Samples.day(2))
    static let a2 = Samples.anomaly("2001", .absent, unit: H.squad2, date: Samples.day(2), minutes: 480, severity: .serious)
    static let a3 = Samples.anomaly("1001", .missingOut, unit: H.squad1, date: Samples.day(3))
    static let a4 = Samples.anomaly("2001", .earlyLeave, unit: H.squad2, date: Samples.day(3))

    /// Stores the four anomalies as the agent `office-a` would.
    static func seed(_ h: ConsoleHarness) async throws {
        for (day, anomalies) in [(2, [a1, a2]), (3, [a3, a4])] {
            let summary = Samples.summary(date: Samples.day(day), units: [H.squad1, H.squad2], anomalies: anomalies)
            #expect(try await h.store.store(summary, receivedAt: h.clock.now) == .stored)
        }
    }

    enum Request: CustomStringConvertible {
        case get(String)
        case post(String, [(String, String)])

        var description: String {
            switch self {
            case .get(let path): "GET \(path)"
            case .post(let path, _): "POST \(path)"
            }
        }
    }

    /// The expected status for each user, in the order of `users`.
    static let users = ["admin", "hr-all", "hr-squad1", "manager-squad2", "staff-1001", "staff-2001"]

    static let matrix: [(Request, [HTTPResponse.Status])] = {
        let ok = HTTPResponse.Status.ok, no = HTTPResponse.Status.notFound, done = HTTPResponse.Status.seeOther
        let away = HTTPResponse.Status.found
        let decision = [("state", "confirmed"), ("note", "属实")]
        return [
            (.get("/"), [ok, ok, ok, ok, away, away]),
            (.get("/reviews"), [ok, ok, ok, ok, no, no]),
            (.get("/reviews?unit=\(H.squad1)"), [ok, ok, ok, no, no, no]),
            (.get("/reviews?unit=\(H.squad2)"), [ok, ok, no, ok, no, no]),
            (.get("/reviews?unit=\(H.brigade)"), [ok, ok, no, no, no, no]),
            (.get("/anomalies/\(a1.id)"), [ok, ok, ok, no, ok, no]),
            (.get("/anomalies/\(a2.id)"), [ok, ok, no, ok, no, ok]),
            (.get("/anomalies/no-such-id"), [no, no, no, no, no, no]),
            (.get("/me"), [no, no, no, no, ok, ok]),
            (.get("/people/1001?month=2026-11"), [ok, ok, ok, no, ok, no]),
            (.get("/people/2001?month=2026-11"), [ok, ok, no, ok, no, ok]),
            (.get("/people/9999"), [no, no, no, no, no, no]),
            (.get("/units?unit=\(H.squad1)&month=2026-11"), [ok, ok, ok, no, no, no]),
            (.get("/units?unit=\(H.brigade)&month=2026-11"), [ok, ok, no, no, no, no]),
            (.get("/units?unit=\(H.squad2)"), [ok, ok, no, ok, no, no]),
            (.get("/account"), [ok, ok, ok, ok, ok, ok]),
            (.get("/bulletin?month=2026-11"), [ok, ok, ok, ok, no, no]),
            (.get("/bulletin?month=2026-11&unit=\(H.squad1)"), [ok, ok, ok, no, no, no]),
            (.get("/bulletin/download/csv?month=2026-11&unit=\(H.squad2)"), [ok, ok, no, ok, no, no]),
            (.get("/bulletin/download/json?month=2026-11"), [ok, ok, ok, ok, no, no]),
            (.get("/agents"), [ok, no, no, no, no, no]),
            (.get("/users"), [ok, no, no, no, no, no]),
            (.post("/users", [("name", "新同事"), ("role", "hr")]), [ok, no, no, no, no, no]),
            (.post("/users/reset", [("name", "gone")]), [ok, no, no, no, no, no]),
            (.post("/agents", [("id", "office-z"), ("units", H.office)]), [ok, no, no, no, no, no]),
            (.post("/agents/office-z/revoke", []), [done, no, no, no, no, no]),
            (.post("/anomalies/\(a2.id)/review", decision), [done, done, no, no, no, no]),
            (.post("/anomalies/\(a1.id)/review", decision), [done, done, done, no, no, no]),
            (.post("/reviews", [("id", a2.id)] + decision), [done, done, no, no, no, no]),
            (.post("/reviews", [("id", a1.id)] + decision), [done, done, done, no, no, no]),
            (.post("/reviews", [("id", a1.id), ("id", a2.id)] + decision), [done, done, no, no, no, no]),
            (.post("/anomalies/\(a3.id)/explain", [("text", "地铁故障")]), [no, no, no, no, done, no]),
            (.post("/anomalies/\(a4.id)/explain", [("text", "身体不适，已口头请假")]), [no, no, no, no, no, done]),
        ]
    }()

    @Test("every route, role and scope", arguments: users.indices)
    func matrixForOneUser(_ index: Int) async throws {
        let name = Self.users[index]
        try await H.run { h in
            try await Self.seed(h)
            let browser = try await h.signedIn(name)
            let csrf = try await browser.csrf()
            for (request, expected) in Self.matrix {
                let response: TestResponse
                switch request {
                case .get(let path): response = try await browser.get(path)
                case .post(let path, let fields): response = try await browser.post(path, [("csrf", csrf)] + fields)
                }
                #expect(response.status == expected[index], "\(name): \(request)")
            }
            // What was refused wrote nothing: each decision and explanation comes from someone allowed.
            let log = try await h.store.auditLog(anomalyID: nil)
            #expect(log.allSatisfy { $0.by == name })
            if name == "hr-squad1" { #expect(Set(log.map(\.anomalyID)) == [Self.a1.id]) }
            if name == "manager-squad2" || name.hasPrefix("staff") { #expect(log.isEmpty) }
            let explained = try await h.store.events(kinds: [.explanation], limit: 10)
            #expect(explained.map(\.subject) == (name.hasPrefix("staff") ? [name] : []))
        }
    }

    @Test func pagesShowNothingOfAnotherUnit() async throws {
        try await H.run { h in
            try await Self.seed(h)
            let hr = try await h.signedIn("hr-squad1")
            let queue = try await hr.get("/reviews?state=all")
            #expect(queue.text.contains("张1001"))
            #expect(!queue.text.contains("张2001"))
            #expect(queue.text.contains("<option value=\"\(H.squad1)\">"))
            #expect(!queue.text.contains("<option value=\"\(H.squad2)\">"), "the unit choices stay in scope")
            let overview = try await hr.get("/")
            #expect(overview.text.contains("一中队") && !overview.text.contains("二中队"))

            let bulletin = try await hr.get("/bulletin/download/json?month=2026-11")
            #expect(bulletin.text.contains("一中队") && !bulletin.text.contains("二中队"), "a scoped user's bulletin is their subtree")

            let manager = try await h.signedIn("manager-squad2")
            let managerQueue = try await manager.get("/reviews")
            #expect(managerQueue.text.contains("张2001") && !managerQueue.text.contains("张1001"))
            #expect(!managerQueue.text.contains("name=\"id\""), "a manager gets no review boxes")
            #expect(!(try await manager.get("/anomalies/\(Self.a2.id)")).text.contains("review-form"))

            let staff = try await h.signedIn("staff-1001")
            let own = try await staff.get("/me")
            #expect(own.text.contains(Vocabulary(.zh).kind(.late)) && own.text.contains(Vocabulary(.zh).kind(.missingOut)))
            #expect(!own.text.contains(Vocabulary(.zh).kind(.absent)))
        }
    }
}
