import Foundation
import Logging
import Testing
@testable import DutyAgent
import Shared

/// A transport that answers from a script and records what it was sent.
actor RecordingAlertTransport: AlertTransport {
    enum Answer: Sendable { case ok, status(Int, String), fail }
    private var script: [Answer]
    private(set) var sent: [(target: String, message: AlertMessage)] = []

    init(_ script: [Answer] = []) { self.script = script }

    func post(_ message: AlertMessage, target: AlertTarget) async throws -> TransportResponse {
        sent.append((target.name, message))
        switch script.isEmpty ? .ok : script.removeFirst() {
        case .ok:
            return TransportResponse(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok","code":0}"#.utf8))
        case .status(let status, let body):
            return TransportResponse(status: status, body: Data(body.utf8))
        case .fail:
            throw URLError(.cannotConnectToHost)
        }
    }

    /// The alert ids sent, in order (from the plain webhook body).
    var ids: [String] {
        sent.compactMap { (try? JSONSerialization.jsonObject(with: $0.message.body) as? [String: Any])?["id"] as? String }
    }
}

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var t: Date
    init(_ t: Date) { self.t = t }
    var now: Date { lock.withLock { t } }
    func advance(_ s: TimeInterval) { lock.withLock { t = t.addingTimeInterval(s) } }
}

/// The durable queue and the sender: once per target, in order, across restarts, rate-limited.
@Suite struct AlertQueueTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-alerts-\(UUID().uuidString)")
    let logger = Logger(label: "test")

    func alert(_ n: Int, kind: DutyAlertKind = .notArrived, unit: String = "局/值班室") -> DutyAlert {
        DutyAlert(kind: kind, site: "s", person: "p\(n)", name: "N\(n)", unit: UnitPath(unit), date: CivilDate("2026-11-02")!,
                  shift: "night-duty", since: LocalDateTime("2026-11-02 20:00:00")!.adding(minutes: n),
                  due: LocalDateTime("2026-11-02 20:05:00")!.adding(minutes: n))
    }

    func webhook(_ name: String = "alert[1]", perMinute: Int = 60, units: [String] = [],
                 events: Set<DutyAlertKind> = [.notArrived, .awayOverLimit, .returned]) -> AlertTarget {
        AlertTarget(name: name, kind: .webhook, url: URL(string: "http://127.0.0.1:1/\(name)")!, units: units.map(UnitPath.init),
                    events: events, perMinute: perMinute)
    }

    @Test func judgingAgainAfterARestartQueuesNothingTwice() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = webhook()
        let q1 = try AlertQueue(folder: folder, targets: [t], logger: logger)
        #expect(try await q1.enqueue([alert(1), alert(2)]) == 2)
        #expect(try await q1.enqueue([alert(1), alert(2)]) == 0)
        // A new process over the same folder: the ids on disk are known.
        let q2 = try AlertQueue(folder: folder, targets: [t], logger: logger)
        #expect(try await q2.enqueue([alert(2), alert(3)]) == 1)
        let transport = RecordingAlertTransport()
        let sender = AlertSender(target: t, queue: q2, transport: transport, language: .zh, logger: logger)
        while case .sent = await sender.step() {}
        #expect(await transport.ids == [alert(1).id, alert(2).id, alert(3).id])
        // Sent ones are remembered too, across another restart.
        let q3 = try AlertQueue(folder: folder, targets: [t], logger: logger)
        #expect(try await q3.enqueue([alert(1), alert(2), alert(3)]) == 0)
        #expect(await q3.first(for: t) == nil)
    }

    @Test func aFailingTargetKeepsItsOrderAndRetriesUntilSuccess() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = webhook()
        let q = try AlertQueue(folder: folder, targets: [t], logger: logger)
        try await q.enqueue([alert(1), alert(2)])
        let transport = RecordingAlertTransport([.status(500, "down"), .fail, .ok, .ok])
        let sender = AlertSender(target: t, queue: q, transport: transport, language: .zh, logger: logger, uniform: { $0 })
        #expect(await sender.step() == .wait(1))
        #expect(await sender.step() == .wait(2))
        let state = await sender.state
        #expect(state.failures == 2 && state.lastError?.hasPrefix("no answer") == true)
        let report = AlertsReport.read(AlertsConfig(queue: folder, targets: [t]))
        #expect(report.targets[0].queued.count == 2 && report.targets[0].failures == 2)
        #expect(await sender.step() == .sent(alert(1).id))
        #expect(await sender.step() == .sent(alert(2).id))
        #expect(await sender.step() == .idle)
        #expect(await transport.ids == [alert(1).id, alert(1).id, alert(1).id, alert(2).id])
        let after = AlertsReport.read(AlertsConfig(queue: folder, targets: [t]))
        #expect(after.targets[0].queued.isEmpty && after.targets[0].sent.map(\.id) == [alert(1).id, alert(2).id])
        #expect(after.targets[0].failures == 0 && after.text.contains("0 queued, ok"))
    }

    @Test func theRateLimitHoldsWithATestClock() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = webhook(perMinute: 2)
        let q = try AlertQueue(folder: folder, targets: [t], logger: logger)
        try await q.enqueue((1...3).map { alert($0) })
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let sender = AlertSender(target: t, queue: q, transport: RecordingAlertTransport(), language: .zh, logger: logger,
                                 now: { clock.now })
        #expect(await sender.step() == .sent(alert(1).id))
        clock.advance(10)
        #expect(await sender.step() == .sent(alert(2).id))
        clock.advance(10)
        #expect(await sender.step() == .wait(40))
        clock.advance(40)
        #expect(await sender.step() == .sent(alert(3).id))
    }

    @Test func aVendorRateLimitAnswerBacksOffAMinute() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = AlertTarget(name: "ding", kind: .dingtalk, url: URL(string: "https://x.example/robot/send?access_token=a")!,
                            perMinute: 20)
        let q = try AlertQueue(folder: folder, targets: [t], logger: logger)
        try await q.enqueue([alert(1)])
        let transport = RecordingAlertTransport([.status(200, #"{"errcode":130101,"errmsg":"send too fast"}"#)])
        let sender = AlertSender(target: t, queue: q, transport: transport, language: .zh, logger: logger, uniform: { $0 })
        #expect(await sender.step() == .wait(60))
        #expect(await sender.step() == .sent(alert(1).id))
    }

    @Test func unitsAndEventsChooseWhatATargetHears() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = webhook("office", units: ["局/办公室"])
        let all = webhook("all", events: [.notArrived, .readerOffline])
        let q = try AlertQueue(folder: folder, targets: [office, all], logger: logger)
        let offline = DutyAlert(kind: .readerOffline, site: "s", since: LocalDateTime("2026-11-02 20:00:00")!,
                                due: LocalDateTime("2026-11-02 20:10:00")!, minutes: 10, reader: "3")
        try await q.enqueue([alert(1, unit: "局/办公室/值班"), alert(2, unit: "局/值班室"), alert(3, kind: .returned), offline])
        let report = AlertsReport.read(AlertsConfig(queue: folder, targets: [office, all]))
        #expect(report.targets[0].queued.map(\.person) == ["p1"])
        #expect(report.targets[1].queued.map { $0.person ?? $0.reader ?? "" } == ["p1", "p2", "3"])
    }

    @Test func sentAlertsArePrunedAfterKeepDays() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let t = webhook()
        let q = try AlertQueue(folder: folder, targets: [t], logger: logger)
        try await q.enqueue([alert(1)])
        let sender = AlertSender(target: t, queue: q, transport: RecordingAlertTransport(), language: .zh, logger: logger)
        _ = await sender.step()
        await q.prune(keepDays: 7, now: Date().addingTimeInterval(6 * 86_400))
        #expect(AlertsReport.read(AlertsConfig(queue: folder, targets: [t])).targets[0].sent.count == 1)
        await q.prune(keepDays: 7, now: Date().addingTimeInterval(8 * 86_400))
        #expect(AlertsReport.read(AlertsConfig(queue: folder, targets: [t])).targets[0].sent.isEmpty)
    }
}
