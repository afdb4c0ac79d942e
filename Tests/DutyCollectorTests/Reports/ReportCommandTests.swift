import ArgumentParser
import Foundation
import Shared
import Testing
@testable import DutyCollector

/// `bulletin` and `digest` as parsed from a command line, over a config file naming a SQLite
/// file that holds the fixture bureau.
@Suite("Report commands")
struct ReportCommandTests {
    /// Writes the fixture into `dir/collector.sqlite` and a config naming it; returns the config path.
    static func prepare(_ dir: URL) async throws -> String {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
        do { try await ReportFixture.load(into: store) } catch {
            await store.close()
            throw error
        }
        await store.close()
        let config = dir.appendingPathComponent("collector.toml")
        try Data("""
            [database]
            url = "sqlite:collector.sqlite"

            [bulletin]
            organization = "某市市场监督管理局"
            repeat_late_early = 2

            [review]
            review_days = 3
            """.utf8).write(to: config)
        return config.path
    }

    @Test("bulletin --format html|markdown|csv|json --output writes the bulletin with the config's settings")
    func bulletin() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-cmd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try await Self.prepare(dir)
        for format in ["html", "markdown", "csv", "json"] {
            let out = dir.appendingPathComponent("bulletin.\(format)").path
            let command = try BulletinCommand.parse(["--month", "2026-11", "--format", format, "--output", out, "--config", config])
            try await command.run()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.contains("某市市场监督管理局"), "\(format)")
            if format != "json" { #expect(text.contains("关于2026年11月考勤及值班情况的通报"), "\(format)") }
            // 限时办结 from the config's `[review]`, as on the console.
            if format == "html" || format == "markdown" { #expect(text.contains("3个工作日的办结时限"), "\(format)") }
            if format == "csv" { #expect(text.contains("超期未办（3个工作日）"), "\(format)") }
        }
        let json = try String(contentsOfFile: dir.appendingPathComponent("bulletin.json").path, encoding: .utf8)
        let b = try ReportJSON.decoder.decode(Bulletin.self, from: Data(json.utf8))
        #expect(b.totals.scheduled == 423 && b.settings.repeatLateEarly == 2)
        // The overdue figure is the console's (`OverdueFigure`, the overview's count) for today.
        #expect(b.review.reviewDays == 3 && b.review.holidayCalendar == false)
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("collector.sqlite").path)
        let today = businessDate(of: Date(), in: BulletinSettings().zone)
        let overdue = try await OverdueFigure.count(store, scope: AnomalyFilter(), month: ReportMonth("2026-11")!, today: today,
                                                    review: ReviewSettings(reviewDays: 3))
        await store.close()
        #expect(b.review.overdue == overdue)
        // With two late/early enough, 钱进 (one late) stays out and 李娜 (one early leave) too; 孙强 and 张伟 are in.
        #expect(Set(b.repeatCases.map(\.person)) == ["2001", "3001", "1001", "3101"])
        let en = dir.appendingPathComponent("bulletin.en.md").path
        let english = try BulletinCommand.parse(["--month", "2026-11", "--unit", "市场监管局/综合执法大队", "--format", "markdown",
                                                 "--lang", "en", "--output", en, "--config", config])
        try await english.run()
        #expect(try String(contentsOfFile: en, encoding: .utf8).hasPrefix("# Bulletin on Attendance and Duty, November 2026"))
    }

    @Test("digest --unit --from --to --format csv")
    func digest() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-cmd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try await Self.prepare(dir)
        let out = dir.appendingPathComponent("digest.csv").path
        let command = try DigestCommand.parse(["--unit", "市场监管局/办公室", "--from", "2026-11-01", "--to", "2026-11-30",
                                               "--format", "csv", "--output", out, "--config", config])
        try await command.run()
        let lines = try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 5)  // header + 张伟 ×3 + 李娜
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("市场监管局/办公室,") })
    }

    @Test("bad arguments are refused naming the flag")
    func badArguments() {
        #expect(throws: (any Error).self) { try BulletinCommand.parse(["--month", "2026/11"]) }
        #expect(throws: (any Error).self) { try BulletinCommand.parse(["--month", "2026-11", "--format", "pdf"]) }
        #expect(throws: (any Error).self) { try DigestCommand.parse(["--from", "2026-11-31"]) }
        #expect(throws: (any Error).self) { try DigestCommand.parse(["--from", "2026-11-20", "--to", "2026-11-01"]) }
        let message = BulletinCommand.message(for: ValidationError("x"))
        #expect(!message.isEmpty)
        do {
            _ = try BulletinCommand.parse(["--month", "2026/11"])
        } catch {
            #expect(BulletinCommand.message(for: error).contains("--month must be YYYY-MM"))
        }
    }
}
