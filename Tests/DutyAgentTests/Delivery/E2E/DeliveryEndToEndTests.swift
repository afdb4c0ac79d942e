import Foundation
import Testing
@testable import DutyAgent
import Shared
#if canImport(Glibc)
import Glibc
#endif

/// duty-agent and duty-collector, the real executables, over loopback with SQLite.
///
/// Every wait is bounded (child processes, HTTP calls, polls), and each test has a time limit, so a
/// hang fails the test with a sentence instead of blocking the run.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: E2E.enabled, E2E.disabledReason))
struct DeliveryEndToEndTests {
    @Test func aCleanPushGivesTheCollectorCheckFigures() async throws {
        let pair = try DeliveryPair(label: "clean")
        defer { pair.tearDown() }
        try await pair.collector.start()
        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 0, "push: \(push.stderr)")
        #expect(push.stdout.contains("left 0"))
        try await pair.expectConverged(seconds: 10)
        let expected = try await pair.expectedFigures().figures
        #expect(expected.scheduled > 0 && !expected.kinds.isEmpty, "the office has anomalies to compare: \(expected)")
        let again = try await pair.agentCommand(["push"])
        #expect(again.status == 0 && again.stdout.contains("sent 0"), "nothing is sent twice: \(again.stdout)")
        let status = try await pair.agentCommand(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("waiting:  0 summaries"), "\(status.stdout)")
        #expect(status.stdout.contains("last contact with the collector: 20"), "\(status.stdout)")
    }

    @Test func killNineAtRandomMomentsLosesAndDoublesNothing() async throws {
        let pair = try DeliveryPair(label: "kill9")
        defer { pair.tearDown() }
        try await pair.collector.start()
        var rng = SystemRandomNumberGenerator()
        for round in 0..<50 {
            if round == 20 { try pair.office.addLateFile(person: "1003", date: pair.office.to.adding(days: -1)) }
            if round == 35 { try pair.office.addLeave(person: "1005", date: pair.office.to) }
            let daemon = try pair.startDaemon()
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...450, using: &rng)))
            daemon.kill9()
        }
        #expect(pair.corrupt.isEmpty, "kill -9 never leaves a torn spool file: \(pair.corrupt)")
        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 0, "push after the kills: \(push.stderr.suffix(2000))")
        try await pair.expectConverged(seconds: 20)
    }

    @Test func theCollectorDownForAStretchThenUpGetsEverythingInDateOrder() async throws {
        let pair = try DeliveryPair(label: "down", proxied: true)
        defer { pair.tearDown() }
        let daemon = try pair.startDaemon(retryCap: 1)
        defer { daemon.kill9() }
        try await E2E.wait(seconds: 20, for: "summaries to wait in the spool") { pair.waiting.count >= 8 }
        try await Task.sleep(for: .seconds(2))
        let status = try await pair.agentCommand(["status"])
        #expect(status.stdout.contains("last failure: cannot reach the collector"), "\(status.stdout)")
        try await pair.collector.start()
        try await pair.expectConverged(seconds: 30)
        let delivered = pair.proxy!.delivered.map(\.date)
        #expect(delivered == delivered.sorted(), "dates arrive in order: \(delivered)")
        #expect(Set(delivered).count == delivered.count, "each date once: \(delivered)")
        await daemon.terminated()
        #expect(daemon.process.terminationStatus == 0, "SIGTERM stops the daemon gracefully: \(daemon.errors.suffix(1000))")
    }

    @Test func lostAcknowledgementsAndACollectorKilledMidRequestDoubleNothing() async throws {
        // Every third answer is lost after the collector stored the summary.
        let pair = try DeliveryPair(label: "lossy", proxied: true, drop: { $0 % 3 == 1 })
        defer { pair.tearDown() }
        try await pair.collector.start()
        let daemon = try pair.startDaemon(retryCap: 1)
        defer { daemon.kill9() }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &rng)))
            pair.collector.kill9()
            try await Task.sleep(for: .milliseconds(300))
            try await pair.collector.start()
        }
        try pair.office.addLeave(person: "1006", date: pair.office.to.adding(days: -3))
        try await pair.expectConverged(seconds: 45)
        #expect(pair.proxy!.droppedAnswers > 0, "answers were lost")
        let repeats = pair.proxy!.delivered.map { "\($0.date) r\($0.revision)" }
        #expect(Set(repeats).count < repeats.count, "lost answers made the agent repeat stored revisions: \(repeats)")
    }

    @Test func corruptAndTruncatedSpoolFilesAreSetAsideAndDerivedAgain() async throws {
        let pair = try DeliveryPair(label: "corrupt")
        defer { pair.tearDown() }
        let first = try await pair.agentCommand(["push", "--attempts", "1"])
        #expect(first.status != 0, "the collector is not up yet: something is left")
        let files = pair.waiting.sorted()
        try #require(files.count >= 3, "summaries wait: \(files)")
        let garbled = pair.office.spool.appendingPathComponent(files[0])
        let truncated = pair.office.spool.appendingPathComponent(files[2])
        try Data("{\"schema\":1,\"agent\":\u{0}\u{0}\u{0}garbage".utf8).write(to: garbled)
        let whole = try Data(contentsOf: truncated)
        try whole.prefix(whole.count / 3).write(to: truncated)
        try await pair.collector.start()
        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 1, "files were set aside, so push exits 1 as documented: \(push.stderr.suffix(2000))")
        #expect(push.stderr.contains("corrupt spool file"), "the corrupt files are reported")
        #expect(pair.corrupt.count == 2, "\(pair.corrupt)")
        let again = try await pair.agentCommand(["push"])
        #expect(again.status == 0, "nothing is set aside twice: \(again.stderr.suffix(2000))")
        try await pair.expectConverged(seconds: 10)
        let status = try await pair.agentCommand(["status"])
        #expect(status.stdout.contains("corrupt files set aside"), "\(status.stdout)")
    }

    @Test func aFullSpoolTakesNoNewDayDropsNothingAndResumes() async throws {
        let pair = try DeliveryPair(label: "full", spoolMaxMB: 1)
        defer { pair.tearDown() }
        // Fill the spool's size bound with ballast, leaving room for about two summaries.
        try FileManager.default.createDirectory(at: pair.office.spool, withIntermediateDirectories: true)
        let ballast = pair.office.spool.appendingPathComponent("ballast")
        try Data(count: 1024 * 1024 - 5000).write(to: ballast)
        let first = try await pair.agentCommand(["push", "--attempts", "1"])
        #expect(first.status != 0)
        #expect(first.stderr.contains("spool full"), "\(first.stderr.suffix(1500))")
        let status = try await pair.agentCommand(["status"])
        #expect(status.stdout.contains("SPOOL FULL"), "\(status.stdout)")
        let waitingWhileFull = pair.waiting.sorted()
        #expect(!waitingWhileFull.isEmpty && waitingWhileFull.count < 8, "only the first days were taken: \(waitingWhileFull)")
        #expect(waitingWhileFull.first?.hasPrefix("\(pair.office.from)") == true, "oldest days first")
        try FileManager.default.removeItem(at: ballast)
        try await pair.collector.start()
        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 0, "\(push.stderr.suffix(1500))")
        try await pair.expectConverged(seconds: 10)
        #expect(pair.corrupt.isEmpty)
    }

    @Test(.enabled(if: E2E.canMountTmpfs, "mounting a small tmpfs needs root with CAP_SYS_ADMIN; the size-bound test covers a full spool"))
    func aFullDiskUnderTheSpoolIsWaitedOut() async throws {
        let pair = try DeliveryPair(label: "enospc", spoolFolder: "disk/spool")
        defer { pair.tearDown() }
        let disk = pair.office.folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(E2E.command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", disk.path))
        defer { E2E.command("umount", disk.path) }
        let first = try await pair.agentCommand(["push", "--attempts", "1"])
        #expect(first.status != 0)
        #expect(first.stderr.contains("full"), "\(first.stderr.suffix(1500))")
        #expect(pair.waiting.count < 8, "the disk took only some days: \(pair.waiting)")
        #expect(E2E.command("mount", "-o", "remount,size=4m", disk.path), "space returns")
        try await pair.collector.start()
        let push = try await pair.agentCommand(["push"])
        #expect(push.status == 0, "\(push.stderr.suffix(1500))")
        try await pair.expectConverged(seconds: 10)
        #expect(pair.corrupt.isEmpty)
    }

    @Test func aRevokedTokenKeepsTheDataAndSaysWhy() async throws {
        let pair = try DeliveryPair(label: "revoked")
        defer { pair.tearDown() }
        try await pair.collector.start()
        let daemon = try pair.startDaemon(retryCap: 1)
        defer { daemon.kill9() }
        try await pair.expectConverged(seconds: 30)
        try await pair.collector.revoke(id: TestOffice.siteID)
        // A late file with an unknown badge: a new revision of that date, which the collector refuses.
        try pair.office.addLateFile(person: "9999", date: pair.office.to)
        try await E2E.wait(seconds: 20, for: "the daemon to be refused") {
            try await pair.agentCommand(["status"]).stdout.contains("SENDING STOPPED")
        }
        let status = try await pair.agentCommand(["status"])
        #expect(status.stdout.contains("revoked_token"), "\(status.stdout)")
        #expect(pair.waiting.count == 1, "the new revision is kept: \(pair.waiting)")
        #expect(daemon.isRunning, "the daemon keeps running")
        #expect(daemon.errors.contains("token refused by the collector"), "the log says why")
    }
}
