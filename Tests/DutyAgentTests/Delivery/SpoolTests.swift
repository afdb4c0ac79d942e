import Foundation
import Logging
import Testing
@testable import DutyAgent
@testable import Shared

/// A fresh temporary folder, removed by the caller.
func makeTemporaryFolder(_ label: String = "spool") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("duty-\(label)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small day summary whose content depends on `scheduled`.
func sampleSummary(_ date: String, scheduled: Int = 3, agent: String = "a1") -> DaySummary {
    DaySummary(agent: agent, site: agent, date: CivilDate(date)!, revision: 0, generatedAt: Date(timeIntervalSince1970: 1_700_000_000),
               units: [UnitDayFigures(unit: UnitPath("局/科"), scheduled: scheduled, present: scheduled)], anomalies: [], quality: [])
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

@Suite struct SpoolTests {
    @Test func offerNumbersRevisionsOnlyWhenContentChanges() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .spooled(revision: 1))
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .unchanged)
        #expect(try await spool.offer(sampleSummary("2026-11-02", scheduled: 4)) == .spooled(revision: 2))
        let pending = await spool.pending()
        #expect(pending.map { $0.url.lastPathComponent } == ["2026-11-02.r2.json"], "the older revision is superseded")
        let back = await spool.load(pending[0])
        #expect(back?.revision == 2 && back?.units.first?.scheduled == 4)
    }

    @Test func restartContinuesRevisionsAndSkipsAcknowledgedContent() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
            _ = try await spool.offer(sampleSummary("2026-11-02"))
            let item = await spool.pending()[0]
            try await spool.acknowledge(item, digest: sampleSummary("2026-11-02").digest, at: Date(), result: "201")
        }
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(await spool.pending().isEmpty)
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .unchanged)
        #expect(try await spool.offer(sampleSummary("2026-11-02", scheduled: 9)) == .spooled(revision: 2))
    }

    @Test func aFileTheStateDoesNotNameIsNotThisAgentsAndIsNeverSent() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The state records every revision before its file is written, so a well-formed file it does
        // not name was put there by someone else: set aside, not adopted.
        var s = sampleSummary("2026-11-03")
        s.revision = 1
        try DurableFile.write(Spool.encode(s), to: folder.appendingPathComponent("2026-11-03.r1.json"))
        try Data("half".utf8).write(to: folder.appendingPathComponent(".2026-11-04.r1.json.tmp-77"))
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(spool.problemsAtOpen.count == 1 && spool.problemsAtOpen[0].contains("not written by this agent"))
        #expect(await spool.pending().isEmpty)
        #expect(await spool.state[CivilDate("2026-11-03")!] == nil)
        #expect(try await spool.offer(sampleSummary("2026-11-03")) == .spooled(revision: 1), "its own derivation is spooled")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".2026-11-04.r1.json.tmp-77").path))
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("corrupt").path)
        #expect(corrupt.count == 1 && corrupt[0].hasPrefix("2026-11-03.r1.json"))
    }

    @Test func aSummaryDroppedIntoARunningSpoolIsNotSent() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        // Someone else's: another date, and a changed copy of our own date under the next revision.
        var other = sampleSummary("2026-11-01", scheduled: 9)
        other.revision = 1
        var changed = sampleSummary("2026-11-02", scheduled: 9)
        changed.revision = 2
        for s in [other, changed] {
            try DurableFile.write(Spool.encode(s), to: folder.appendingPathComponent("\(s.date).r\(s.revision).json"))
        }
        let pending = await spool.pending()
        #expect(pending.count == 3)
        var loaded: [String] = []
        for item in pending { if let s = await spool.load(item) { loaded.append("\(s.date) r\(s.revision)") } }
        #expect(loaded == ["2026-11-02 r1"], "only the summary this agent wrote is read for sending")
        #expect(await spool.state[CivilDate("2026-11-02")!]?.digest == sampleSummary("2026-11-02").digest, "its record is untouched")
    }

    @Test func aHugeJunkFileIsSetAsideWithoutBeingReadAndSetAsideFilesDoNotFillTheSpool() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do { _ = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger) }
        // A sparse file larger than the read bound: reading it whole would take 65 MiB of memory.
        let junk = folder.appendingPathComponent("2026-11-02.r1.json")
        #expect(FileManager.default.createFile(atPath: junk.path, contents: nil))
        let handle = try FileHandle(forWritingTo: junk)
        try handle.truncate(atOffset: UInt64(Spool.maxFileBytes + 1))
        try handle.close()
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(spool.problemsAtOpen.count == 1 && spool.problemsAtOpen[0].contains("not read"), "\(spool.problemsAtOpen)")
        #expect(Spool.setAsideUsage(of: folder) > Int64(Spool.maxFileBytes))
        #expect(await spool.usage() < 4096, "what was set aside does not count against spool_max_mb")
        #expect(try await spool.offer(sampleSummary("2026-11-03")) == .spooled(revision: 1), "the spool still takes days")
    }

    @Test func anAcknowledgedFileLeftBehindIsRemovedAtRestart() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var state = SpoolState()
        let s = sampleSummary("2026-11-03")
        state[s.date] = .init(revision: 1, digest: s.digest, acknowledged: 1, acknowledgedDigest: s.digest)
        try state.save(to: folder.appendingPathComponent("state.json"))
        var numbered = s
        numbered.revision = 1
        try DurableFile.write(Spool.encode(numbered), to: folder.appendingPathComponent("2026-11-03.r1.json"))
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(await spool.pending().isEmpty)
    }

    @Test(arguments: ["truncated", "garbage", "digest", "empty"])
    func corruptFilesAreSetAsideAndTheDateDerivedAgain(kind: String) async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
            _ = try await spool.offer(sampleSummary("2026-11-02"))
        }
        let file = folder.appendingPathComponent("2026-11-02.r1.json")
        let good = try Data(contentsOf: file)
        switch kind {
        case "truncated": try good.prefix(good.count / 2).write(to: file)
        case "garbage": try Data(repeating: 0, count: 300).write(to: file)
        case "digest": try Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"scheduled\":3", with: "\"scheduled\":5").utf8).write(to: file)
        default: try Data().write(to: file)
        }
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(spool.problemsAtOpen.count == 1)
        #expect(await spool.pending().isEmpty)
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("corrupt").path)
        #expect(corrupt.count == 1 && corrupt[0].hasPrefix("2026-11-02.r1.json"))
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .spooled(revision: 2), "the same content is spooled again")
    }

    @Test func aCorruptStateIsSetAsideAndItsDatesDerivedAgain() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
            _ = try await spool.offer(sampleSummary("2026-11-02"))
        }
        try Data("{\"ver".utf8).write(to: folder.appendingPathComponent("state.json"))
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        // Without the record of its writes the agent cannot tell its files from anyone's: both the state
        // and the file are kept in corrupt/, and the date is derived again (the collector's 409 sets the
        // revision right).
        #expect(spool.problemsAtOpen.count == 2)
        #expect(await spool.pending().isEmpty)
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .spooled(revision: 1))
    }

    @Test func aFullSpoolTakesNothingNewAndDropsNothing() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = Int64(Spool.encode(sampleSummary("2026-11-02")).count)
        let spool = try Spool(folder: folder, maxBytes: one * 2 + 1200, logger: quietLogger)
        var results: [Spool.OfferResult] = []
        for day in 2...6 { results.append(try await spool.offer(sampleSummary("2026-11-0\(day)"))) }
        #expect(results.prefix(2) == [.spooled(revision: 1), .spooled(revision: 1)])
        guard case .full = results.last else { Issue.record("expected full, got \(results)"); return }
        #expect(await spool.state.full != nil)
        let pending = await spool.pending()
        #expect(pending.count >= 2 && pending.count < 5)
        for item in pending { #expect(await spool.load(item) != nil) }
        // Space returns when the collector takes what waits.
        for item in pending {
            try await spool.acknowledge(item, digest: await spool.load(item)!.digest, at: Date(), result: "201")
        }
        #expect(try await spool.offer(sampleSummary("2026-11-06")) == .spooled(revision: 1))
        #expect(await spool.state.full == nil)
    }

    @Test func setAsideKeepsTheSummaryWithItsReason() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        _ = try await spool.offer(sampleSummary("2026-11-02"))
        try await spool.setAside(await spool.pending()[0], reason: "403 unit_not_granted", at: Date())
        let rejected = folder.appendingPathComponent("rejected")
        #expect(FileManager.default.fileExists(atPath: rejected.appendingPathComponent("2026-11-02.r1.json").path))
        let reason = try String(contentsOf: rejected.appendingPathComponent("2026-11-02.r1.json.reason.txt"), encoding: .utf8)
        #expect(reason.contains("unit_not_granted"))
        #expect(await spool.pending().isEmpty)
        #expect(await spool.state[CivilDate("2026-11-02")!]?.rejected == "403 unit_not_granted")
    }

    @Test func aMissingUnacknowledgedFileMakesTheDateDerivedAgain() async throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
            _ = try await spool.offer(sampleSummary("2026-11-02"))
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("2026-11-02.r1.json"))
        let spool = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(try await spool.offer(sampleSummary("2026-11-02")) == .spooled(revision: 2))
    }

    @Test func oneProcessAtATime() throws {
        let folder = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        #expect(throws: SpoolError.locked(path: folder.path)) {
            _ = try Spool(folder: folder, maxBytes: 1 << 20, logger: quietLogger)
        }
        _ = first
    }
}
