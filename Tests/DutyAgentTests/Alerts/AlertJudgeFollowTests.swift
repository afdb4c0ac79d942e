import Foundation
import Logging
import Testing
@testable import DutyAgent
import Shared

/// The live alerts follow the badge files: a change reads only the lines appended since (the
/// journal's byte counter), only the days `DutyWatch` reads are held, and the config is parsed
/// again only when it changed.
@Suite struct AlertJudgeFollowTests {
    static let toml = """
        [site]
        id = "follow"
        timezone = "Asia/Shanghai"

        [inputs]
        people = "people.csv"
        badges = ["badges/*.dat"]
        roster = "roster.csv"

        [[reader]]
        id = "1"
        post = "duty-room"
        direction = "in"

        [[reader]]
        id = "2"
        post = "duty-room"
        direction = "out"

        [[shift]]
        code = "duty"
        name = "值班"
        kind = "duty"
        start = "20:00"
        end = "23:00"
        posts = ["duty-room"]
        away_limit = 15

        [alerts]
        watch_seconds = 0

        [[alert]]
        kind = "webhook"
        url = "http://127.0.0.1:9/duty"
        """

    static func line(_ pin: String, _ time: String, _ reader: String) -> String {
        "     \(pin)\t\(time)\t\(reader)\t0\t1\t0\n"
    }

    /// 21:00 in Shanghai on 2026-11-02.
    static let now = Date(timeIntervalSince1970: 1_793_624_400)

    @Test func anAppendedLineIsReadAloneAndRaisesTheAlert() async throws {
        // Two months of history before the duty night, then 1001's arrival at 19:55.
        var history = ""
        for day in 1...30 { history += Self.line("1001", String(format: "2026-10-%02d 08:30:00", day), "1") }
        history += Self.line("1001", "2026-11-02 19:55:00", "1")
        let out = Self.line("1001", "2026-10-15 18:00:00", "2")
        let folder = try ConfigFolder(Self.toml, files: [
            "people.csv": "id,name,unit\n1001,张伟,局/值班室\n",
            "roster.csv": "date,person,shift\n2026-11-02,1001,duty\n",
            "badges/1_attlog.dat": history,
            "badges/2_attlog.dat": out,
        ])
        defer { folder.remove() }
        #expect(Self.now == ISO8601DateFormatter().date(from: "2026-11-02T13:00:00Z"))
        let config = try AgentConfig.load(path: folder.configPath)
        let settings = try #require(config.alerts)
        let alerts = try AlertServices.build(configPath: folder.configPath, config: config, settings: settings,
                                             logger: Logger(label: "test"))
        let judge = alerts.judge

        // The first judging reads both files whole and holds only the night's punch (from 31 October on).
        #expect(try await judge.judge(now: Self.now) == 0)
        #expect(await judge.bytesRead == Int64(history.utf8.count + out.utf8.count))
        #expect(await judge.heldPunches == 1)

        // 1001 leaves the post at 20:30: only that line is read, and 值班离岗超时 is queued.
        let exit = Self.line("1001", "2026-11-02 20:30:00", "2")
        let file = folder.url.appendingPathComponent("badges/2_attlog.dat")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(exit.utf8))
        try handle.close()
        let before = await judge.bytesRead
        #expect(try await judge.judge(now: Self.now.addingTimeInterval(1)) == 1)
        #expect(await judge.bytesRead - before == Int64(exit.utf8.count))
        #expect(await judge.heldPunches == 2)
        let queued = AlertsReport.read(settings).targets[0].queued
        #expect(queued.map(\.kind) == ["away_over_limit"] && queued.map(\.person) == ["1001"])

        // Nothing changed: nothing is read, nothing queued; the config was parsed once.
        #expect(try await judge.judge(now: Self.now.addingTimeInterval(2)) == 0)
        #expect(await judge.bytesRead - before == Int64(exit.utf8.count))
        #expect(await judge.configParses == 1)

        // The file replaced by a shorter one (rotated): read again from its start; the exit is gone,
        // and so is the alert's condition (nothing new queued).
        let rotated = Self.line("1001", "2026-11-02 20:50:00", "1")
        try Data(rotated.utf8).write(to: file)
        let beforeRotation = await judge.bytesRead
        #expect(try await judge.judge(now: Self.now.addingTimeInterval(3)) == 0)
        #expect(await judge.bytesRead - beforeRotation == Int64(rotated.utf8.count))
        #expect(await judge.heldPunches == 2)
    }

    @Test func theConfigIsParsedAgainOnlyWhenItOrAListedFolderChanges() throws {
        let folder = try ConfigFolder(ConfigFolder.validTOML)
        defer { folder.remove() }
        var cache = ConfigCache(path: folder.configPath)
        let start = Date()
        #expect(try cache.load(now: start).inputs.badges.count == 2)
        #expect(try cache.load(now: start.addingTimeInterval(1)).inputs.badges.count == 2)
        #expect(cache.parses == 1)
        // A new export in the globbed folder changes the folder: parsed again, the file is in.
        try folder.write("badges/3_attlog.dat", "     1001\t2026-11-02 09:00:00\t3\t0\t1\t0\n")
        try bumpTime(folder.url.appendingPathComponent("badges"))
        #expect(try cache.load(now: start.addingTimeInterval(2)).inputs.badges.count == 3)
        #expect(cache.parses == 2)
        // The config edited: parsed again.
        try folder.write("agent.toml", ConfigFolder.validTOML.replacingOccurrences(of: "grace_late = 5", with: "grace_late = 7"))
        try bumpTime(folder.url.appendingPathComponent("agent.toml"))
        #expect(try cache.load(now: start.addingTimeInterval(3)).rules.graceLate == 7)
        #expect(cache.parses == 3)
        // Nothing changed for longer than maxAgeSeconds: parsed again all the same.
        _ = try cache.load(now: start.addingTimeInterval(3 + ConfigCache.maxAgeSeconds))
        #expect(cache.parses == 4)
    }

    @Test func theReceiversStateWritesDoNotMakeTheConfigParsedAgainANewJournalFileDoes() throws {
        var files = ConfigFolder.defaultFiles
        files["adms/.devices.json"] = "{}"
        let folder = try ConfigFolder(ConfigFolder.validTOML + """

            [adms]
            listen = "127.0.0.1:9081"

            [[adms.device]]
            serial = "SN1"
            reader = "2"
            """, files: files)
        defer { folder.remove() }
        var cache = ConfigCache(path: folder.configPath)
        let start = Date()
        #expect(try cache.load(now: start).inputs.badges.count == 2)
        // The receiver writes its state (temporary file, rename) on every call of a device.
        try folder.write("adms/.devices.json.tmp-1", "{}")
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("adms/.devices.json"))
        try FileManager.default.moveItem(at: folder.url.appendingPathComponent("adms/.devices.json.tmp-1"),
                                         to: folder.url.appendingPathComponent("adms/.devices.json"))
        try bumpTime(folder.url.appendingPathComponent("adms"))
        _ = try cache.load(now: start.addingTimeInterval(1))
        #expect(cache.parses == 1)
        // A device's first punch starts its journal file: parsed again, the journal is a badge input.
        try folder.write("adms/SN1_adms.dat", "1001\t2026-11-02 08:00:00\t2\t0\t1\t0\n")
        #expect(try cache.load(now: start.addingTimeInterval(2)).inputs.badges.count == 3)
        #expect(cache.parses == 2)
    }

    /// Moves a file's or folder's modification time a minute ahead: a change `stat` sees whatever
    /// the file system's time granularity.
    private func bumpTime(_ url: URL) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let modified = try #require(attributes[.modificationDate] as? Date)
        try FileManager.default.setAttributes([.modificationDate: modified.addingTimeInterval(60)], ofItemAtPath: url.path)
    }
}
