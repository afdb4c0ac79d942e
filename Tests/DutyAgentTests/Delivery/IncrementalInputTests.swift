import Foundation
import Testing
@testable import DutyAgent
@testable import Shared

/// An office whose badge files are growing ZKTeco attlog journals, one per reader, over `days`
/// dates ending `endsAgo` days before today (site time), with one corrupt row.
struct JournalOffice {
    let folder: URL
    let today: CivilDate
    let from: CivilDate
    let to: CivilDate
    static let people = ["1001", "1002", "1003", "1004", "1005", "1006"]
    var configPath: String { folder.appendingPathComponent("agent.toml").path }
    var spool: URL { folder.appendingPathComponent("spool") }

    init(folder: URL, days: Int = 120, endsAgo: Int = 2) throws {
        self.folder = folder
        today = Office.localNow(in: TimeZone(identifier: "Asia/Shanghai")!).date
        to = today.adding(days: -endsAgo)
        from = to.adding(days: -(days - 1))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("badges"), withIntermediateDirectories: true)
        var people = "id,name,unit\n"
        for (i, id) in Self.people.enumerated() { people += "\(id),员工\(i),市场监管局/\(i < 3 ? "办公室" : "食品科")\n" }
        try write(people, "people.csv")
        var one = "", two = ""
        var d = from
        while d <= to {
            let (a, b) = Self.day(d)
            one += a
            two += b
            if d == from.adding(days: 3) { one += "ZZZZZZZZZZ\tgarbage\n" }
            d = d.adding(days: 1)
        }
        try write(one, "badges/1_attlog.dat")
        try write(two, "badges/2_attlog.dat")
        try write("""
            [site]
            id = "journal-office"
            timezone = "Asia/Shanghai"

            [inputs]
            people = "people.csv"
            badges = ["badges/*.dat"]

            [[shift]]
            code = "day"
            start = "09:00"
            end = "17:30"

            [[schedule]]
            units = ["市场监管局"]
            shift = "day"
            days = "all"

            [collector]
            url = "http://127.0.0.1:9"
            spool = "spool"
            settle_minutes = 0

            """, "agent.toml")
    }

    /// One attlog line.
    static func line(_ person: String, _ date: CivilDate, _ minutes: Int) -> String {
        let pin = String(repeating: " ", count: 9 - person.count) + person
        return "\(pin)\t\(LocalDateTime(date: date, secondsOfDay: minutes * 60))\t1\t0\t1\t0\n"
    }

    /// A date's punches: arrivals at reader 1, departures at reader 2, someone late, someone
    /// leaving early and someone absent, varying with the date.
    static func day(_ d: CivilDate) -> (String, String) {
        var one = "", two = ""
        for (i, id) in people.enumerated() {
            let k = (d.dayNumber + i) % 9
            if k == 0 { continue }
            one += line(id, d, k == 1 ? 9 * 60 + 25 : 8 * 60 + 40 + i)
            two += line(id, d, k == 2 ? 16 * 60 + 50 : 17 * 60 + 40 + i)
        }
        return (one, two)
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: url(name), options: .atomic)
    }

    /// Appends to a file in place (same inode), as a journal writer does.
    func append(_ text: String, _ name: String) throws {
        let handle = try FileHandle(forWritingTo: url(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Every date the full reading decides against the spool's latest revision of that date: the
    /// incremental reading must never make a summary differ from reading everything afresh.
    func expectSpoolMatchesFullRead(_ spool: Spool, now: Date = Date(), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let office = try Office.load(AgentConfig.load(path: configPath))
        let full = DayDecision.decide(office, now: now, settleMinutes: 0)
        var latest: [CivilDate: SpooledSummary] = [:]
        for item in await spool.pending() where (latest[item.date]?.revision ?? 0) < item.revision { latest[item.date] = item }
        #expect(!full.summaries.isEmpty, sourceLocation: sourceLocation)
        for summary in full.summaries {
            guard let item = latest[summary.date], let spooled = await spool.load(item) else {
                Issue.record("\(summary.date) is not in the spool", sourceLocation: sourceLocation)
                continue
            }
            #expect(spooled.digest == summary.digest, "\(summary.date): spooled r\(item.revision) differs from a full read",
                    sourceLocation: sourceLocation)
            #expect(spooled.units == summary.units, "\(summary.date)", sourceLocation: sourceLocation)
        }
        #expect(Set(latest.keys) == Set(full.summaries.map(\.date)), sourceLocation: sourceLocation)
    }
}

@Suite struct IncrementalInputTests {
    func open(_ office: JournalOffice) throws -> (Spool, InputScanner) {
        let spool = try Spool(folder: office.spool, maxBytes: 1 << 26, logger: quietLogger)
        return (spool, InputScanner(configPath: office.configPath, spool: spool, logger: quietLogger))
    }

    @Test func appendedLinesAreReadOnceAndOnlyRecentDatesAreJudged() async throws {
        let folder = makeTemporaryFolder("incr-append")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder)
        let (spool, scanner) = try open(office)
        let first = try await scanner.scan()
        #expect(first.read && first.judged?.lowerBound == office.from, "no state: the whole history is judged")
        try await office.expectSpoolMatchesFullRead(spool)

        // Yesterday arrives, with a corrupt row whose line number must be the file's own.
        let yesterday = office.today.adding(days: -1)
        let (a, b) = JournalOffice.day(yesterday)
        try office.append(a + "\u{1}\u{2}broken row\n", "badges/1_attlog.dat")
        try office.append(b, "badges/2_attlog.dat")
        let second = try await scanner.scan()
        #expect(second.read)
        let judged = try #require(second.judged)
        #expect(judged.lowerBound >= office.today.adding(days: -40), "only the dates a new line can change: \(judged)")
        #expect(second.spooled == ["\(yesterday) r2"], "yesterday had no punch: its r1 was all unverified; \(second.spooled)")
        try await office.expectSpoolMatchesFullRead(spool)

        let third = try await scanner.scan()
        #expect(!third.read && third.spooled.isEmpty, "nothing appended: nothing read, nothing spooled")
    }

    @Test func aPartialLastLineIsReadOnceItsNewlineArrives() async throws {
        let folder = makeTemporaryFolder("incr-partial")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder)
        let (spool, scanner) = try open(office)
        _ = try await scanner.scan()
        let yesterday = office.today.adding(days: -1)
        let (a, b) = JournalOffice.day(yesterday)
        try office.append(a, "badges/1_attlog.dat")
        let departure = JournalOffice.line("1001", yesterday, 17 * 60 + 45)
        let cut = departure.index(departure.startIndex, offsetBy: 14)
        try office.append(b + String(departure[..<cut]), "badges/2_attlog.dat")
        _ = try await scanner.scan()
        var bad: [QualityItem] = []
        for item in await spool.pending() {
            bad += await spool.load(item)?.quality.filter { $0.file == "badges/2_attlog.dat" } ?? []
        }
        #expect(bad.isEmpty, "the half-written line is not read (as a bad line or otherwise): \(bad)")

        try office.append(String(departure[cut...]), "badges/2_attlog.dat")
        let done = try await scanner.scan()
        #expect(done.read)
        try await office.expectSpoolMatchesFullRead(spool)
    }

    @Test func aTruncatedOrRotatedFileIsReadAgainFromItsStart() async throws {
        let folder = makeTemporaryFolder("incr-rotate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder)
        let (spool, scanner) = try open(office)
        _ = try await scanner.scan()

        // Truncated in place (same inode): the first half of its lines remain.
        let two = office.url("badges/2_attlog.dat")
        let text = try String(contentsOf: two, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let handle = try FileHandle(forWritingTo: two)
        try handle.truncate(atOffset: UInt64(lines.prefix(lines.count / 2).joined(separator: "\n").utf8.count + 1))
        try handle.close()
        let truncated = try await scanner.scan()
        #expect(truncated.read && !truncated.spooled.isEmpty)
        try await office.expectSpoolMatchesFullRead(spool)

        // Rotated: the old file moves out of the glob, a new one starts with yesterday.
        try FileManager.default.moveItem(at: office.url("badges/1_attlog.dat"), to: office.url("badges/1_attlog.dat.1"))
        let yesterday = office.today.adding(days: -1)
        try office.write(JournalOffice.day(yesterday).0, "badges/1_attlog.dat")
        let rotated = try await scanner.scan()
        #expect(rotated.read)
        try await office.expectSpoolMatchesFullRead(spool)

        // Replaced by a file of the same size whose first bytes differ (another export).
        let current = try Data(contentsOf: office.url("badges/1_attlog.dat"))
        var replaced = current
        let digit = replaced.startIndex + 8  // the PIN's last digit on line 1: another person
        replaced[digit] = replaced[digit] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try replaced.write(to: office.url("badges/1_attlog.dat"))
        let again = try await scanner.scan()
        #expect(again.read)
        try await office.expectSpoolMatchesFullRead(spool)
    }

    @Test func aRestartResumesFromTheSavedOffsetsAndALostStateFallsBackToAFullRead() async throws {
        let folder = makeTemporaryFolder("incr-restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder)
        let yesterday = office.today.adding(days: -1)
        do {
            let (_, scanner) = try open(office)
            _ = try await scanner.scan()
        }
        #expect(FileManager.default.fileExists(atPath: office.spool.appendingPathComponent("inputs.json").path))
        let (a, b) = JournalOffice.day(yesterday)
        try office.append(a, "badges/1_attlog.dat")
        try office.append(b, "badges/2_attlog.dat")
        do {
            let (spool, scanner) = try open(office)
            let resumed = try await scanner.scan()
            let judged = try #require(resumed.judged)
            #expect(judged.lowerBound >= office.today.adding(days: -40), "resumed from the saved offsets: \(judged)")
            #expect(resumed.spooled == ["\(yesterday) r2"], "\(resumed.spooled)")
            try await office.expectSpoolMatchesFullRead(spool)
        }

        // Lost state: everything is read and judged again, and nothing differs.
        try FileManager.default.removeItem(at: office.spool.appendingPathComponent("inputs.json"))
        do {
            let (spool, scanner) = try open(office)
            let full = try await scanner.scan()
            #expect(full.judged?.lowerBound == office.from)
            #expect(full.spooled.isEmpty, "a full read finds the same summaries: \(full.spooled)")
            try await office.expectSpoolMatchesFullRead(spool)
        }

        // A state that does not read back likewise.
        try Data("{not json".utf8).write(to: office.spool.appendingPathComponent("inputs.json"))
        let (spool, scanner) = try open(office)
        let garbled = try await scanner.scan()
        #expect(garbled.judged?.lowerBound == office.from && garbled.spooled.isEmpty)
        try await office.expectSpoolMatchesFullRead(spool)
    }

    @Test func aLatePunchForAnOldDateMakesANewRevisionOfThatDate() async throws {
        let folder = makeTemporaryFolder("incr-late")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder)
        let (spool, scanner) = try open(office)
        _ = try await scanner.scan()
        // Older than the punches held after the first scan: the files are read again for it.
        var old = office.from.adding(days: 10)
        while (old.dayNumber + 0) % 9 != 0 { old = old.adding(days: 1) }  // 1001 was absent that day
        try office.append(JournalOffice.line("1001", old, 8 * 60 + 50), "badges/1_attlog.dat")
        try office.append(JournalOffice.line("1001", old, 17 * 60 + 50), "badges/2_attlog.dat")
        let late = try await scanner.scan()
        #expect(late.spooled.contains("\(old) r2"), "\(late.spooled)")
        try await office.expectSpoolMatchesFullRead(spool)
    }
}

@Suite struct BadgeJournalTests {
    /// Every held punch once, at its file's true line: the time on that line is the punch's.
    func expectHeldMatchesFile(_ journal: BadgeJournal, _ office: JournalOffice, _ name: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = InputFile(url: office.url(name), display: name)
        let lines = try String(contentsOf: file.url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let held = journal.readout(of: file, index: 0).punches
        #expect(Set(held.map(\.source.line)).count == held.count, "no line held twice", sourceLocation: sourceLocation)
        let from = try #require(journal.heldFrom, sourceLocation: sourceLocation)
        let expected = lines.count { line in
            let fields = line.split(separator: "\t")
            guard fields.count > 1, let time = LocalDateTime(String(fields[1])) else { return false }
            return time.date >= from
        }
        #expect(held.count == expected, "\(held.count) held, \(expected) lines on or after \(from)", sourceLocation: sourceLocation)
        for p in held {
            let line = lines[Int(p.source.line) - 1]
            #expect(line.contains(p.time.description) && line.hasSuffix("\t1\t0\t1\t0") && line.contains(p.badge),
                    "line \(p.source.line) is \(line), not \(p)", sourceLocation: sourceLocation)
        }
    }

    @Test func appendedLinesAreHeldOnceWithTheirTrueLineNumbers() throws {
        let folder = makeTemporaryFolder("journal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder, days: 20)
        let names = ["badges/1_attlog.dat", "badges/2_attlog.dat"]
        let files = names.map { InputFile(url: office.url($0), display: $0) }
        var journal = BadgeJournal()
        #expect(try journal.refresh(files, now: Date()) == office.from)
        try journal.rebuild(from: office.from.adding(days: 5), files: files)
        for name in names { try expectHeldMatchesFile(journal, office, name) }

        let yesterday = office.today.adding(days: -1)
        let (a, b) = JournalOffice.day(yesterday)
        try office.append(a, names[0])
        try office.append(b + String(JournalOffice.line("1003", yesterday, 1000).prefix(12)), names[1])
        #expect(try journal.refresh(files, now: Date()) == yesterday, "only yesterday's lines are new")
        for name in names { try expectHeldMatchesFile(journal, office, name) }
        #expect(try journal.refresh(files, now: Date()) == nil, "a partial line alone is nothing new")

        try office.append(String(JournalOffice.line("1003", yesterday, 1000).dropFirst(12)), names[1])
        #expect(try journal.refresh(files, now: Date()) == yesterday)
        for name in names { try expectHeldMatchesFile(journal, office, name) }
        #expect(journal.cursors[office.url(names[1]).path]?.offset
                == Int64(try Data(contentsOf: office.url(names[1])).count))
    }

    @Test func aFileThatStoppedWithoutAFinalNewlineIsReadAndReadAgainWhenItGrows() throws {
        let folder = makeTemporaryFolder("journal-tail")
        defer { try? FileManager.default.removeItem(at: folder) }
        let office = try JournalOffice(folder: folder, days: 10)
        let name = "badges/1_attlog.dat"
        let files = [InputFile(url: office.url(name), display: name)]
        let yesterday = office.today.adding(days: -1)
        let last = JournalOffice.line("1002", yesterday, 8 * 60 + 30)
        try office.append(String(last.dropLast()), name)
        var journal = BadgeJournal()
        _ = try journal.refresh(files, now: Date())
        try journal.rebuild(from: office.from, files: files)
        #expect(!journal.readout(of: files[0], index: 0).punches.contains { $0.time.date == yesterday },
                "a fresh file's unterminated line waits for its newline")
        // Two quiet minutes later it is an export that simply ends without one: read.
        #expect(try journal.refresh(files, now: Date().addingTimeInterval(BadgeJournal.quietSeconds + 1)) == yesterday)
        #expect(journal.cursors[office.url(name).path]?.endsMidLine == true)
        try BadgeJournalTests().expectHeldMatchesFile(journal, office, name)
        // It grows after all: read again from its start, the completed line once.
        try office.append("\n" + JournalOffice.line("1003", yesterday, 8 * 60 + 40), name)
        #expect(try journal.refresh(files, now: Date()) != nil)
        try BadgeJournalTests().expectHeldMatchesFile(journal, office, name)
    }
}
