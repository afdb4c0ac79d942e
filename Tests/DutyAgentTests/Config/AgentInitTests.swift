import Foundation
import Shared
import Testing
@testable import DutyAgent

/// `duty-agent init` on the example office's own badge files and people list: the config it writes
/// finds the example's anomalies, and it never overwrites a file.
@Suite(.serialized) struct AgentInitTests {
    static let example = AgentExecutable.packageRoot.appendingPathComponent("config/example")
    static let bundledHolidays = AgentExecutable.packageRoot.appendingPathComponent("holidays")

    private func scratch() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-init-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func runInit(output: URL, extra: [String] = []) throws -> AgentExecutable.Run {
        try AgentExecutable.locate().run([
            "init", "--badges", Self.example.appendingPathComponent("badges").path,
            "--people", Self.example.appendingPathComponent("people.csv").path, "--output", output.path,
            "--holidays-from", Self.bundledHolidays.path,
        ] + extra)
    }

    /// The real executable writes the config; `check` on it finds every day-shift anomaly of the
    /// example's truth (leaves, night duty and the roster are not in it, so anomalies the example
    /// excuses or rosters differently may come on top, but only for people on the roster or on leave).
    @Test func initConfigFindsTheExampleAnomalies() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("agent.toml")
        let done = try runInit(output: output, extra: ["--site-id", "example-office"])
        let printed = String(decoding: done.stdout, as: UTF8.self)
        try #require(done.status == 0, "init exited \(done.status): \(done.stderr)\n\(printed)")
        #expect(printed.contains("Left to decide"))
        // validate finds the example's bad lines and unknown badge, but nothing in the config itself.
        #expect(!printed.contains("  \(output.path):"), "validate found problems in init's config:\n\(printed)")
        #expect(printed.contains("1_attlog.dat:") && printed.contains("is a date that does not exist"),
                "validate's findings (the example's corrupt rows) are not printed:\n\(printed)")

        // The suggested shift is the example's real day shift: its most common arrival and departure.
        let written = try AgentConfig.load(path: output.path)
        let real = try AgentConfig.load(path: Self.example.appendingPathComponent("agent.toml").path)
        let suggested = try #require(written.shifts.first)
        let day = try #require(real.shiftsByCode["day"])
        #expect(suggested.code == "day")
        #expect(suggested.start == day.start && suggested.end == day.end,
                "suggested \(suggested.start)-\(suggested.end), the example works \(day.start)-\(day.end)")
        #expect(Set(written.readers.map(\.id)) == Set(real.readers.map(\.id)))
        #expect(written.inputs.badges.count == real.inputs.badges.count)
        #expect(written.inputs.holidays.map { $0.url.lastPathComponent } == ["2026.json"])
        let copied = try Data(contentsOf: dir.appendingPathComponent("holidays/2026.json"))
        #expect(copied == (try Data(contentsOf: Self.bundledHolidays.appendingPathComponent("2026.json"))))

        // Each reader's punch count is written as it is in its file.
        let text = try String(contentsOf: output, encoding: .utf8)
        for file in real.inputs.badges {
            let readout = try BadgeFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0)
            let reader = try #require(BadgeFileReader.readerFromName(file.url.lastPathComponent))
            let first = try #require(readout.punches.map(\.time).min()).date
            #expect(text.contains("[[reader]]    # \(readout.punches.count) punches, \(first) to "),
                    "reader \(reader): \(readout.punches.count) punches not in the config")
        }

        let truth = try OfficeTruth(truthFile: Self.example.appendingPathComponent("truth.json"))
        let check = try AgentExecutable.locate().run([
            "check", "--config", output.path, "--from", truth.from, "--to", truth.to, "--format", "json",
        ])
        try #require(check.status == 0, "check exited \(check.status): \(check.stderr)")
        let reported = try OfficeTruth(checkOutput: check.stdout)
        // Without a leaves file, the example's excused absences are charged.
        var wanted = truth.charged.filter { $0.shift == "day" }
        wanted += truth.excused.filter { $0.shift == "day" }.map { var a = $0; a.reason = nil; return a }
        // Compared as accusations (who, when, what): the minutes differ where the example's lunch
        // break, which init cannot see in the punches, is inside the missed time.
        func accusation(_ a: TruthAnomaly) -> String { "\(a.date) \(a.person) \(a.shift) \(a.kind)" }
        let got = Set(reported.charged.map(accusation))
        let missing = wanted.filter { !got.contains(accusation($0)) }
        #expect(missing.isEmpty, "init's config misses:\n\(missing.map(\.description).joined(separator: "\n"))")

        let rostered = try Self.people(inColumn: "person", of: "roster.csv")
        let onLeave = try Self.people(inColumn: "person", of: "leaves.csv")
        let wantedSet = Set(wanted.map(accusation))
        let unexplained = reported.charged.filter {
            !wantedSet.contains(accusation($0)) && !rostered.contains($0.person) && !onLeave.contains($0.person)
        }
        #expect(unexplained.isEmpty, "init's config accuses people the example does not:\n\(unexplained.map(\.description).joined(separator: "\n"))")
    }

    /// A second `init` to the same file fails and leaves it as it was; a calendar already beside
    /// the config is kept.
    @Test func initNeverOverwrites() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("agent.toml")
        let holidays = dir.appendingPathComponent("holidays")
        try FileManager.default.createDirectory(at: holidays, withIntermediateDirectories: true)
        let own = Data("{\"year\": 2026, \"days\": []}\n".utf8)
        try own.write(to: holidays.appendingPathComponent("2026.json"))
        let first = try runInit(output: output)
        try #require(first.status == 0, "init exited \(first.status): \(first.stderr)")
        #expect(try Data(contentsOf: holidays.appendingPathComponent("2026.json")) == own)
        #expect(String(decoding: first.stdout, as: UTF8.self).contains("kept the calendars already there: holidays/2026.json"))

        let before = try Data(contentsOf: output)
        let second = try runInit(output: output)
        #expect(second.status != 0)
        #expect(second.stderr.contains("never overwrites"), "stderr: \(second.stderr)")
        #expect(try Data(contentsOf: output) == before)
    }

    /// A folder without badge files, or an unreadable people file, is an error naming it; nothing is written.
    @Test func badInputsAreNamed() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let badges = dir.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: badges, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: badges.appendingPathComponent("notes.txt"))
        let output = dir.appendingPathComponent("agent.toml")
        let done = try AgentExecutable.locate().run([
            "init", "--badges", badges.path, "--people", Self.example.appendingPathComponent("people.csv").path,
            "--output", output.path,
        ])
        #expect(done.status != 0)
        #expect(done.stderr.contains("--badges") && done.stderr.contains("notes.txt"), "stderr: \(done.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))

        let noPeople = try AgentExecutable.locate().run([
            "init", "--badges", Self.example.appendingPathComponent("badges").path,
            "--people", dir.appendingPathComponent("missing.csv").path, "--output", output.path,
        ])
        #expect(noPeople.status != 0)
        #expect(noPeople.stderr.contains("missing.csv"), "stderr: \(noPeople.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// The most common half hour wins: arrivals before it, departures after it.
    @Test func shiftSuggestionTakesTheMostCommonHalfHours() throws {
        func t(_ h: Int, _ m: Int) -> Int { h * 3600 + m * 60 }
        let days = [
            (t(8, 41), t(17, 48), 2), (t(8, 55), t(17, 31), 2), (t(9, 0), t(17, 30), 3),
            (t(8, 10), t(18, 5), 2), (t(9, 12), t(17, 59), 2), (t(20, 0), t(20, 0), 1),
        ].map { (first: $0.0, last: $0.1, count: $0.2) }
        let s = try #require(AgentInit.suggestShift(days))
        #expect(s.start == ClockTime(minutes: 9 * 60) && s.end == ClockTime(minutes: 17 * 60 + 30))
        #expect(s.arrivals == (3, 5) && s.departures == (4, 5))
        #expect(AgentInit.suggestShift([]) == nil)
    }

    @Test func pathsAreWrittenRelativeToTheConfig() {
        let base = URL(fileURLWithPath: "/etc/dutywatch")
        #expect(AgentInit.relativePath(from: base, to: URL(fileURLWithPath: "/etc/dutywatch/people.csv")) == "people.csv")
        #expect(AgentInit.relativePath(from: base, to: URL(fileURLWithPath: "/etc/badges")) == "../badges")
        #expect(AgentInit.relativePath(from: base, to: URL(fileURLWithPath: "/srv/badges")) == "/srv/badges")
        #expect(AgentInit.toml("a\"b\\c") == "\"a\\\"b\\\\c\"")
    }

    /// The ids in `column` of the example's CSV `file`.
    static func people(inColumn column: String, of file: String) throws -> Set<String> {
        let text = try String(contentsOf: example.appendingPathComponent(file), encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = rows.first, let index = header.firstIndex(of: column) else { return [] }
        return Set(rows.dropFirst().compactMap { $0.count > index ? $0[index] : nil })
    }
}
