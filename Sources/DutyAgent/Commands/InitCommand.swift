import ArgumentParser
import Foundation
import Shared

/// `duty-agent init`: writes a first `agent.toml` from an office's badge exports and people list,
/// then validates it and lists what is left to decide.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a first, commented agent.toml from a folder of badge exports and a people file.",
        discussion: """
            Reads every file of the badges folder (formats detected from the content) and the people
            file, and writes a config listing every reader found (punches, date range), the formats,
            a day shift SUGGESTED from the most common arrival and departure, the holiday calendars of
            the years covered (copied next to the config from those bundled with DutyWatch) and a
            [collector] section to fill in. Then it runs `validate` on it and prints what is left to
            decide. It never overwrites a file. Exits 0 when the config was written (whatever
            validate found), 1 when it was not.
            """)

    @Option(help: "The folder of the badge readers' export files.")
    var badges: String

    @Option(help: "The people file: CSV id,name,unit[,badge][,post] with a header row.")
    var people: String

    @Option(help: "The config to write; never overwritten. Paths in it are relative to its folder.")
    var output: String = "agent.toml"

    @Option(name: .customLong("site-id"), help: "The office's id at the collector (default: the config folder's name).")
    var siteID: String?

    @Option(help: "The office's IANA time zone.")
    var timezone: String = "Asia/Shanghai"

    @Option(name: .customLong("holidays-from"),
            help: "Folder of holiday-cn calendars (YEAR.json) to copy from; default: those bundled with the program.")
    var holidaysFrom: String?

    func run() throws {
        let outcome: AgentInit.Outcome
        do {
            let bundle = holidaysFrom.map { URL(fileURLWithPath: $0) } ?? AgentInit.bundledHolidays()
            let zone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "Asia/Shanghai")!
            outcome = try AgentInit.write(output: output, badgesDir: badges, peopleFile: people, siteID: siteID,
                                          timeZone: timezone, holidaysBundle: bundle, now: Office.localNow(in: zone))
        } catch let error as InputError {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        print(Self.report(outcome))
        print("\nduty-agent validate --config \(output):")
        let result = ValidateCommand.inspect(configPath: output)
        for p in result.problems { print("  \(p.description)") }
        print("  \(result.summary)")
        print("\nLeft to decide (edit \(output), then run `duty-agent validate --config \(output)` and `duty-agent check --config \(output)`):")
        for (i, item) in outcome.leftToDecide.enumerated() { print("  \(i + 1). \(item)") }
    }

    /// What was found and written, for the terminal.
    static func report(_ o: AgentInit.Outcome) -> String {
        let s = o.survey
        var lines = ["wrote \(o.configPath)"]
        lines.append("  \(s.badgeFiles.count) badge files (\(Set(s.badgeFiles.map { $0.format }).sorted().joined(separator: ", "))), "
            + "\(s.totalPunches) punches, \(s.knownPunches) of them by badges on the people list (\(s.people.count) people)")
        for f in s.skipped { lines.append("  not a badge file, not used: \(f.name): \(f.reason)") }
        for r in s.readers {
            let range = [r.first, r.last].compactMap { $0.map { "\($0.date)" } }.joined(separator: " to ")
            lines.append("  reader \(r.id): \(r.punches) punches, \(range)")
        }
        if let shift = s.shift {
            lines.append("  suggested day shift \(shift.start)–\(shift.end) (most common arrival and departure, to the half hour)")
        }
        if !o.holidaysCopied.isEmpty { lines.append("  copied the bundled calendars: \(o.holidaysCopied.joined(separator: ", "))") }
        if !o.holidaysKept.isEmpty { lines.append("  kept the calendars already there: \(o.holidaysKept.joined(separator: ", "))") }
        if !o.holidaysMissing.isEmpty {
            lines.append("  no calendar bundled for \(o.holidaysMissing.map(String.init).joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}
