import Foundation
import Testing
@testable import DutyAgent
@testable import Shared

@Suite struct SenderTests {
    func setUp(_ script: [ScriptedTransport.Step], token: String? = "t0k") throws
        -> (Spool, ScriptedTransport, SpoolDrain, URL) {
        let folder = makeTemporaryFolder()
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        let transport = ScriptedTransport(script)
        let tokens = TokenSource(file: nil, environment: token.map { ["DUTY_AGENT_TOKEN": $0] } ?? [:])
        let sender = SummarySender(spool: spool, transport: transport, tokens: tokens, logger: quietLogger)
        let drain = SpoolDrain(sender: sender, sleep: { _ in })
        return (spool, transport, drain, folder)
    }

    @Test func sendsInDateOrderAndEmptiesTheSpool() async throws {
        let (spool, transport, drain, folder) = try setUp([])
        defer { try? FileManager.default.removeItem(at: folder) }
        for day in ["2026-11-05", "2026-11-02", "2026-11-03"] { _ = try await spool.offer(sampleSummary(day)) }
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report == SpoolDrain.Report(delivered: 3, left: 0))
        #expect(await transport.sentDates == ["2026-11-02 r1", "2026-11-03 r1", "2026-11-05 r1"])
        #expect(await transport.sent.allSatisfy { $0.token == "t0k" })
        #expect(await spool.state.lastContact != nil)
    }

    @Test func networkErrorsAnd5xxAreRetriedInPlace() async throws {
        let (spool, transport, drain, folder) = try setUp([.fail, .answer(503, "{}"), .answer(429, "{}", retryAfter: 7)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        _ = try await spool.offer(sampleSummary("2026-11-03"))
        let report = await drain.once(attempts: 5, backoff: Backoff())
        #expect(report.delivered == 2 && report.left == 0)
        #expect(await transport.sentDates == ["2026-11-02 r1", "2026-11-02 r1", "2026-11-02 r1", "2026-11-02 r1", "2026-11-03 r1"])
    }

    @Test func pushGivesUpAfterItsAttemptsAndKeepsTheData() async throws {
        let (spool, _, drain, folder) = try setUp([.fail, .fail, .fail])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.delivered == 0 && report.left == 1)
        #expect(report.stoppedBecause?.contains("cannot reach the collector") == true)
        #expect(await spool.state.lastFailure != nil)
    }

    @Test func retryAfterIsHonoured() async throws {
        let waits = WaitLog()
        let (spool, _, drain0, folder) = try setUp([.answer(429, "{}", retryAfter: 42), .answer(503, "{}")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let drain = SpoolDrain(sender: drain0.sender, sleep: { await waits.add($0) })
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        _ = await drain.once(attempts: 5, backoff: Backoff(base: 1, cap: 300, uniform: { $0 }))
        #expect(await waits.values == [42, 2])
    }

    @Test func otherClientErrorsSetTheSummaryAside() async throws {
        let (spool, transport, drain, folder) = try setUp([
            .answer(403, #"{"error":"unit_not_granted","message":"units[0].unit is 局/科, outside"}"#),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        _ = try await spool.offer(sampleSummary("2026-11-03"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.delivered == 1 && report.left == 0)
        #expect(report.setAside.count == 1 && report.setAside[0].contains("403: unit_not_granted"))
        #expect(await transport.sentDates == ["2026-11-02 r1", "2026-11-03 r1"])
        #expect(await spool.state[CivilDate("2026-11-02")!]?.rejected?.contains("unit_not_granted") == true)
    }

    @Test func aRefusedTokenStopsSendingAndKeepsEverything() async throws {
        let (spool, transport, drain, folder) = try setUp([.answer(401, #"{"error":"token_revoked","message":"revoked"}"#)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        _ = try await spool.offer(sampleSummary("2026-11-03"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.left == 2 && report.delivered == 0)
        #expect(report.stoppedBecause?.contains("refused the agent's token") == true)
        #expect(await transport.sent.count == 1)
        #expect(await spool.state.blocked?.contains("token_revoked") == true)
    }

    @Test func aMissingTokenSaysWhereItWasLookedFor() async throws {
        let (spool, transport, drain, folder) = try setUp([], token: nil)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.stoppedBecause?.contains("DUTY_AGENT_TOKEN") == true)
        #expect(await transport.sent.isEmpty)
    }

    @Test func aStaleRevisionIsRenumberedAboveTheStoredOne() async throws {
        let (spool, transport, drain, folder) = try setUp([
            .answer(409, #"{"error":"stale_revision","message":"older","stored_revision":4,"stored_digest":"abc"}"#),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.delivered == 1 && report.left == 0)
        #expect(await transport.sentDates == ["2026-11-02 r1", "2026-11-02 r5"])
        #expect(await spool.state[CivilDate("2026-11-02")!]?.acknowledged == 5)
        #expect(try await spool.offer(sampleSummary("2026-11-02", scheduled: 8)) == .spooled(revision: 6))
    }

    @Test func aStaleAnswerWithOurDigestCountsAsDelivered() async throws {
        let digest = sampleSummary("2026-11-02").digest
        let (spool, transport, drain, folder) = try setUp([
            .answer(409, #"{"error":"stale_revision","stored_revision":3,"stored_digest":"\#(digest)"}"#),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 3, backoff: Backoff())
        #expect(report.delivered == 1)
        #expect(await transport.sent.count == 1)
        #expect(await spool.state[CivilDate("2026-11-02")!]?.acknowledged == 3)
    }

    @Test(arguments: [
        ["status": "created"], ["agent": "another-office"], ["date": "2026-11-03"], ["revision": 2],
        ["digest": String(repeating: "0", count: 64)], ["agent": NSNull()],
    ] as [[String: any Sendable]])
    func aSuccessThatIsNotThisSummarysReceiptIsNoAcknowledgement(_ change: [String: any Sendable]) async throws {
        var numbered = sampleSummary("2026-11-02")
        numbered.revision = 1
        let body = String(decoding: ScriptedTransport.receipt(for: numbered, change), as: UTF8.self)
        let (spool, transport, drain, folder) = try setUp([.answer(201, body), .answer(200, "<html>ok</html>")])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 2, backoff: Backoff())
        #expect(report.delivered == 0 && report.left == 1, "\(change)")
        #expect(report.stoppedBecause?.contains("not taken as an acknowledgement") == true, "\(report)")
        #expect(await transport.sent.count == 2)
        #expect(await spool.state[CivilDate("2026-11-02")!]?.acknowledged == nil)
        #expect(await spool.pending().count == 1, "the summary stays in the spool")
    }

    @Test func aRedirectIsNeitherFollowedNorAnAcknowledgementNorARefusal() async throws {
        let (spool, transport, drain, folder) = try setUp([
            .answer(307, "", location: "http://198.51.100.7/api/v1/summaries"), .answer(301, ""),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        let report = await drain.once(attempts: 2, backoff: Backoff())
        #expect(report.delivered == 0 && report.left == 1 && report.setAside.isEmpty)
        #expect(report.stoppedBecause?.contains("does not follow redirects") == true, "\(report)")
        #expect(await spool.state.lastFailure?.contains("198.51.100.7") == false, "the last failure is the 301's")
        #expect(await transport.sent.count == 2)
    }

    @Test func tokenFileIsReadAndTrimmed() throws {
        let folder = makeTemporaryFolder("token")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("agent.token")
        try Data("  s3cret\n".utf8).write(to: file)
        #expect(try TokenSource(file: file, environment: [:]).token() == "s3cret")
        #expect(try TokenSource(file: file, environment: ["DUTY_AGENT_TOKEN": "env"]).token() == "env")
        #expect(throws: DeliveryError.self) { try TokenSource(file: folder.appendingPathComponent("none"), environment: [:]).token() }
    }
}

/// Records the waits a drain asked for.
actor WaitLog {
    private(set) var values: [Double] = []
    func add(_ v: Double) { values.append(v) }
}

@Suite struct BackoffTests {
    @Test func ceilingDoublesUpToTheCap() {
        var b = Backoff(base: 1, cap: 300, uniform: { $0 })
        let waits = (0..<12).map { _ in b.next() }
        #expect(waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        b.reset()
        #expect(b.next() == 1)
    }

    @Test func fullJitterStaysWithinTheCeiling() {
        var b = Backoff(base: 1, cap: 300)
        for n in 0..<200 {
            let ceiling = b.ceiling
            let wait = b.next()
            #expect(wait >= 0 && wait <= ceiling, "wait \(n)")
        }
        let spread = Set((0..<50).map { _ in
            var fresh = Backoff(base: 4, cap: 300)
            return fresh.next()
        })
        #expect(spread.count > 1, "waits are random")
    }

    @Test func retryAfterWinsOverTheJitter() {
        var b = Backoff(base: 1, cap: 300, uniform: { _ in 0.5 })
        #expect(b.next(retryAfter: 30) == 30)
        #expect(b.failures == 1)
    }
}

/// The agent reads the collector's answers as the wire fixtures pin them (the collector's tests
/// check that it writes exactly these bodies): the two programs share `SummaryReceipt` and
/// `APIRefusal`, so neither can drift.
@Suite struct CollectorAnswerWireTests {
    static func answer(_ name: String) throws -> CollectorAnswer {
        let url = BuiltAgent.checkout.appendingPathComponent("Tests/DutyCollectorTests/Fixtures/wire/\(name).json")
        return CollectorAnswer(try Data(contentsOf: url))
    }

    @Test func storedUnchangedAndStaleAnswersDecode() throws {
        #expect(try Self.answer("answer-201").status == "stored")
        #expect(try Self.answer("answer-200").status == "unchanged")
        let stale = try Self.answer("answer-409")
        #expect(stale.error == "stale_revision" && stale.storedRevision == 3)
        #expect(stale.storedDigest == "1aa34abdc9e885053e4d6530746980ec53d0f28b41d696799c5af4f134d8631e")
        #expect(CollectorAnswer(Data("Bad Gateway".utf8)).message == "Bad Gateway")
    }
}
