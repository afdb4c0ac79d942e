import Foundation
import Testing
@testable import DutyAgent
import Shared
#if canImport(Glibc)
import Glibc
#endif

/// The real duty-agent against collectors that misbehave: it never follows a redirect (its token
/// goes nowhere but `[collector] url`) and takes only the collector's own receipt as an
/// acknowledgement.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: E2E.agent != nil || E2E.isCI, "duty-agent is not built"))
struct AgentDeliverySecurityTests {
    /// An office in a fresh folder pushing to `url`.
    static func office(_ label: String, url: URL) throws -> (work: URL, office: TestOffice, agent: URL) {
        guard let agent = E2E.agent else { throw E2EFailure("duty-agent is not built beside the test bundle") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("duty-sec-\(label)-\(UUID().uuidString.prefix(8))")
        return (work, try TestOffice(folder: work.appendingPathComponent("office"), collectorURL: url, token: "secret-office-token"), agent)
    }

    static func cleanUp(_ work: URL) {
        if ProcessInfo.processInfo.environment["DUTY_E2E_KEEP"] == nil { try? FileManager.default.removeItem(at: work) }
    }

    static func waiting(_ office: TestOffice) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: office.spool.path)) ?? [])
            .filter { SpooledSummary(url: URL(fileURLWithPath: $0)) != nil }
    }

    @Test func aRedirectToAnotherHostGetsNeitherTheTokenNorTheSummaries() async throws {
        // The host the redirect points to answers 201 to anything, as the attacker's did.
        let elsewhere = try ScriptedHTTPServer(host: "127.0.0.2") { _ in
            ScriptedHTTPServer.response("201 Created", body: #"{"status":"stored"}"#)
        }
        defer { elsewhere.close() }
        let target = "\(elsewhere.url.absoluteString)/api/v1/summaries"
        let redirector = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response("307 Temporary Redirect", headers: ["Location: \(target)"])
        }
        defer { redirector.close() }
        let (work, office, agent) = try Self.office("redirect", url: redirector.url)
        defer { Self.cleanUp(work) }

        let push = try await ChildProcess.execute(agent, ["push", "--config", office.configPath, "--attempts", "2"],
                                                  folder: work, label: "push")
        #expect(push.status == 1, "push: \(push.stdout) \(push.stderr.suffix(1500))")
        #expect(push.stdout.contains("sent 0"), "\(push.stdout)")
        #expect(push.stderr.contains("does not follow redirects"), "\(push.stderr.suffix(1500))")
        #expect(redirector.received.count == 2, "the collector's address was tried twice")
        #expect(redirector.received.allSatisfy { $0.header("authorization") == "Bearer secret-office-token" })
        #expect(elsewhere.received.isEmpty, "the redirect target got nothing: \(elsewhere.received.map(\.head))")
        #expect(Self.waiting(office).count == 8, "every date stays in the spool: \(Self.waiting(office))")

        let status = try await ChildProcess.execute(agent, ["status", "--config", office.configPath], folder: work, label: "status")
        #expect(status.stdout.contains("does not follow redirects"), "\(status.stdout)")
    }

    @Test func a201ThatIsNotTheReceiptOfTheSummaryAcknowledgesNothing() async throws {
        // Answers for the wrong date, revision, digest or agent, or a bare 201: none is a receipt.
        let counter = Counter()
        let impostor = try ScriptedHTTPServer { request in
            let sent = try? DaySummary.decoder.decode(DaySummary.self, from: request.body)
            let receipt: [String: Any] = ["status": "stored", "agent": sent?.agent ?? "", "date": sent?.date.description ?? "",
                                          "revision": sent?.revision ?? 0, "digest": sent?.digest ?? ""]
            let wrong: [String: Any]
            switch counter.next() % 5 {
            case 0: wrong = receipt.merging(["date": "2001-01-01"]) { _, b in b }
            case 1: wrong = receipt.merging(["revision": 99]) { _, b in b }
            case 2: wrong = receipt.merging(["digest": String(repeating: "a", count: 64)]) { _, b in b }
            case 3: wrong = receipt.merging(["agent": "another-office"]) { _, b in b }
            default: wrong = ["status": "stored"]
            }
            let body = String(decoding: try! JSONSerialization.data(withJSONObject: wrong), as: UTF8.self)
            return ScriptedHTTPServer.response("201 Created", body: body)
        }
        defer { impostor.close() }
        let (work, office, agent) = try Self.office("impostor", url: impostor.url)
        defer { Self.cleanUp(work) }

        let push = try await ChildProcess.execute(agent, ["push", "--config", office.configPath, "--attempts", "5"],
                                                  folder: work, label: "push")
        #expect(push.status == 1, "push: \(push.stdout) \(push.stderr.suffix(1500))")
        #expect(push.stdout.contains("sent 0"), "\(push.stdout)")
        #expect(impostor.received.count == 5, "five answers, each of one wrong kind")
        #expect(Self.waiting(office).count == 8, "every date stays in the spool: \(Self.waiting(office))")
        #expect(push.stderr.contains("not taken as an acknowledgement"), "\(push.stderr.suffix(1500))")
    }

    @Test func aSummaryDroppedIntoTheSpoolBySomeoneElseIsNotSentAndPushSaysSo() async throws {
        let receipts = try ScriptedHTTPServer { request in
            guard let s = try? DaySummary.decoder.decode(DaySummary.self, from: request.body) else {
                return ScriptedHTTPServer.response("400 Bad Request")
            }
            let body = #"{"status":"stored","agent":"\#(s.agent)","date":"\#(s.date)","revision":\#(s.revision),"digest":"\#(s.digest)"}"#
            return ScriptedHTTPServer.response("201 Created", body: body)
        }
        defer { receipts.close() }
        let (work, office, agent) = try Self.office("foreign", url: receipts.url)
        defer { Self.cleanUp(work) }
        let first = try await ChildProcess.execute(agent, ["push", "--config", office.configPath], folder: work, label: "push1")
        #expect(first.status == 0 && receipts.received.count == 8, "\(first.stdout) \(first.stderr.suffix(1000))")

        // A well-formed summary with a valid digest, written by someone else under a new revision.
        var forged = try DaySummary.decoder.decode(DaySummary.self, from: receipts.received[0].body)
        forged.units[0].present = 0
        forged.revision = 9
        forged.digest = forged.contentDigest()
        let name = SpooledSummary.fileName(date: forged.date, revision: 9)
        try DaySummary.canonicalEncoder.encode(forged).write(to: office.spool.appendingPathComponent(name))

        let second = try await ChildProcess.execute(agent, ["push", "--config", office.configPath], folder: work, label: "push2")
        #expect(second.status == 1, "push exits 1 after setting a file aside: \(second.stdout) \(second.stderr.suffix(1000))")
        #expect(second.stderr.contains("not written by this agent"), "\(second.stderr.suffix(1000))")
        #expect(receipts.received.count == 8, "the forged summary was not sent")
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: office.spool.appendingPathComponent("corrupt").path)
        #expect(corrupt.contains { $0.hasPrefix(name) })
        let third = try await ChildProcess.execute(agent, ["push", "--config", office.configPath], folder: work, label: "push3")
        #expect(third.status == 0, "once set aside, the next push is clean: \(third.stderr.suffix(800))")
    }
}

/// A thread-safe counter for test servers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The count before this call.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
