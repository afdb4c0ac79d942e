import Foundation
import Testing
@testable import DutyAgent
@testable import Shared

/// The sender and summaries that carry every punch of the day (version 3): a collector that refuses
/// version 3 gets them without, and is remembered as older for a day; a summary too large with them
/// goes without them, alone.
@Suite struct DayPunchesSenderTests {
    /// A summary of `date` with one late anomaly and the person's day punches: version 3.
    static func accused(_ date: String) -> DaySummary {
        let d = CivilDate(date)!
        let start = LocalDateTime(date: d, secondsOfDay: 9 * 3600)
        let punch = Evidence(file: "b.csv", line: 4, time: start.adding(minutes: 7), reader: "gate", direction: .entrance)
        let late = Anomaly(id: StableID.anomaly(site: "a1", person: "p1", date: d, shift: "day", kind: .late, start: start),
                           person: "p1", name: "P", unit: UnitPath("局/科"), date: d, shift: "day", duty: false, kind: .late,
                           minutes: 7, severity: .minor, excused: false, reason: nil, evidence: [punch])
        let lunch = Evidence(file: "b.csv", line: 9, time: start.adding(minutes: 190), reader: "gate", direction: .exit)
        return DaySummary(agent: "a1", site: "a1", date: d, revision: 0, generatedAt: Date(timeIntervalSince1970: 1_700_000_000),
                          units: [UnitDayFigures(unit: UnitPath("局/科"), scheduled: 1, present: 1,
                                                 kinds: [.late: KindFigures(count: 1, minutes: 7)])],
                          anomalies: [late], quality: [], dayPunches: [PersonDayPunches(person: "p1", punches: [punch, lunch])])
    }

    static let unsupported = #"{"error":"unsupported_schema","message":"schema version 3 is not supported (this collector reads versions 1 to 2)","field":"schema"}"#

    /// A settable clock for the sender.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Date(timeIntervalSince1970: 1_800_000_000)
        var now: Date { lock.withLock { value } }
        func advance(_ seconds: TimeInterval) { lock.withLock { value = value.addingTimeInterval(seconds) } }
    }

    func setUp(_ script: [ScriptedTransport.Step], clock: Clock? = nil) throws -> (Spool, ScriptedTransport, SpoolDrain, URL) {
        let folder = makeTemporaryFolder()
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        let transport = ScriptedTransport(script)
        let tokens = TokenSource(file: nil, environment: ["DUTY_AGENT_TOKEN": "t0k"])
        var sender = SummarySender(spool: spool, transport: transport, tokens: tokens, logger: quietLogger)
        if let clock { sender.now = { clock.now } }
        return (spool, transport, SpoolDrain(sender: sender, sleep: { _ in }), folder)
    }

    @Test func anOlderCollectorGetsTheSameRevisionWithoutDayPunchesAndIsRememberedForADay() async throws {
        let clock = Clock()
        let script: [ScriptedTransport.Step] = [.answer(400, Self.unsupported), .receipt, .receipt,
                                               .answer(400, Self.unsupported), .receipt]
        let (spool, transport, drain, folder) = try setUp(script, clock: clock)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        _ = try await spool.offer(Self.accused("2026-11-03"))
        #expect(await drain.once(attempts: 3, backoff: Backoff()) == SpoolDrain.Report(delivered: 2, left: 0))
        let sent = await transport.sent.map { $0.summary }
        #expect(sent.map { $0.schema } == [3, 1, 1], "version 3 offered once, then the same revisions without day punches")
        #expect(sent.map { $0.revision } == [1, 1, 1])
        #expect(sent[1] == Self.accused("2026-11-02").withoutDayPunches().renumbered(1))
        // The spool keeps what it wrote: offered again, the full content is unchanged, not a new revision.
        #expect(try await spool.offer(Self.accused("2026-11-02")) == .unchanged)

        // A day later version 3 is offered again (the collector may have been upgraded).
        clock.advance(CollectorSchemaMemory.holdSeconds)
        _ = try await spool.offer(Self.accused("2026-11-04"))
        #expect(await drain.once(attempts: 3, backoff: Backoff()) == SpoolDrain.Report(delivered: 1, left: 0))
        #expect(await transport.sent.map { $0.summary.schema } == [3, 1, 1, 3, 1])
    }

    @Test func tooLargeWithDayPunchesGoesWithoutThemAloneAndIsNotRemembered() async throws {
        let (spool, transport, drain, folder) = try setUp([ScriptedTransport.Step.answer(413, #"{"error":"body_too_large","message":"…"}"#)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        _ = try await spool.offer(Self.accused("2026-11-03"))
        #expect(await drain.once(attempts: 3, backoff: Backoff()) == SpoolDrain.Report(delivered: 2, left: 0))
        #expect(await transport.sent.map { $0.summary.schema } == [3, 1, 3])
    }

    @Test func dayPunchesTheCollectorRefusesNeverSetTheDayAside() async throws {
        let refusal = #"{"error":"invalid_field","message":"day_punches[0].person p1 has no anomaly in this summary","field":"day_punches[0].person"}"#
        let (spool, transport, drain, folder) = try setUp([ScriptedTransport.Step.answer(400, refusal)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        #expect(await drain.once(attempts: 3, backoff: Backoff()) == SpoolDrain.Report(delivered: 1, left: 0))
        #expect(await transport.sent.map { $0.summary.schema } == [3, 1])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("rejected").path)) ?? []).isEmpty)
    }

    @Test func aReceiptForTheFullSummaryDoesNotAcknowledgeTheOneSentWithoutDayPunches() async throws {
        // The receipt must name what was sent: a receipt carrying the spooled (full) digest for the
        // summary sent without day punches is no acknowledgement.
        let full = Self.accused("2026-11-02").renumbered(1)
        let wrong = String(decoding: ScriptedTransport.receipt(for: full), as: UTF8.self)
        let (spool, transport, drain, folder) = try setUp([ScriptedTransport.Step.answer(400, Self.unsupported), .answer(201, wrong)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        let report = await drain.once(attempts: 1, backoff: Backoff())
        #expect(report.delivered == 0 && report.left == 1)
        #expect(await transport.sent.map { $0.summary.schema } == [3, 1])
    }

    /// A 409 naming the stored digest of the summary with its day punches, for the one sent
    /// without them, is this day already stored: acknowledged, not renumbered over it.
    @Test func a409ForTheFullFormWhileSendingWithoutDayPunchesIsAlreadyStored() async throws {
        let full = Self.accused("2026-11-02").renumbered(1)
        let conflict = #"{"error":"stale_revision","message":"…","stored_revision":1,"stored_digest":"\#(full.digest)"}"#
        let (spool, transport, drain, folder) = try setUp([.answer(400, Self.unsupported), .answer(409, conflict)])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        #expect(await drain.once(attempts: 1, backoff: Backoff()) == SpoolDrain.Report(delivered: 1, left: 0))
        #expect(await transport.sent.map { $0.summary.revision } == [1, 1], "nothing renumbered")
    }

    /// The resend without day punches does not use up one of the three sends 409 renumbering has.
    @Test func theResendWithoutDayPunchesLeavesThreeSendsForRenumbering() async throws {
        let conflict = { (stored: Int) in #"{"error":"stale_revision","message":"…","stored_revision":\#(stored),"stored_digest":"other"}"# }
        let (spool, transport, drain, folder) = try setUp([.answer(400, Self.unsupported), .answer(409, conflict(1)),
                                                           .answer(409, conflict(2)), .receipt])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await spool.offer(Self.accused("2026-11-02"))
        #expect(await drain.once(attempts: 1, backoff: Backoff()) == SpoolDrain.Report(delivered: 1, left: 0))
        #expect(await transport.sent.map { $0.summary.revision } == [1, 1, 2, 3])
    }
}

extension DaySummary {
    /// The same summary as revision `n` (revision is outside the digest).
    func renumbered(_ n: Int) -> DaySummary {
        var copy = self
        copy.revision = n
        return copy
    }
}
