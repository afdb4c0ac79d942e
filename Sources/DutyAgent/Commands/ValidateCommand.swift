import ArgumentParser
import Foundation
import Shared

/// `duty-agent validate`: checks the config and every input and prints every problem as
/// `file:line: field: message`, then a summary; exit 1 on any problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the config and every input file; print every problem with its file and line.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let progress = TerminalProgress.make()
        let result = Self.inspect(configPath: options.config, progress: progress)
        progress?.finish()
        for w in result.warnings { print("warning: \(w.description)") }
        for p in result.problems { print(p.description) }
        print(result.summary)
        if !result.problems.isEmpty { throw ExitCode.failure }
    }

    /// The problems found and a one-line summary.
    struct Result: Sendable {
        var problems: [InputError]
        var summary: String
        /// Keys of the config accepted without effect (deprecated): printed, not failing.
        var warnings: [InputError] = []
    }

    /// Loads everything and lists every problem: config errors, unreadable files, bad lines, unknown
    /// badges, roster and leave rows naming unknown people or shifts, schedules that name nobody.
    static func inspect(configPath: String, progress: (any ProgressReporter)? = nil) -> Result {
        var result = inspectProblems(configPath: configPath, progress: progress)
        result.warnings = AgentConfig.check(path: configPath).config?.warnings ?? []
        return result
    }

    private static func inspectProblems(configPath: String, progress: (any ProgressReporter)?) -> Result {
        let (config, configProblems) = AgentConfig.check(path: configPath)
        guard let config else {
            return Result(problems: configProblems,
                          summary: "\(count(configProblems.count)) in the config; the inputs were not read")
        }
        let office: Office
        do {
            office = try Office.load(config, progress: progress)
        } catch let error as InputError {
            let unreadable = Office.unreadableInputs(config)
            let problems = unreadable.isEmpty ? [error] : unreadable
            return Result(problems: problems,
                          summary: "\(count(problems.count)): input files could not be read; fix them and validate again")
        } catch {
            return Result(problems: [InputError(file: configPath, message: "\(error)")], summary: "1 problem")
        }
        let fileProblems = office.quality.map(problem)
        let badges = unknownBadges(office)
        let schedules = scheduleProblems(config, people: office.input.people)
        let clocks = clockProblems(office)
        let all = fileProblems + badges + clocks + schedules
        let people = office.input.people.count
        let read = "\(office.input.files.count + 1 + config.inputs.holidays.count) files, \(people) people, "
            + "\(office.punchCount) punches"
        if all.isEmpty { return Result(problems: [], summary: "no problems; read \(read)") }
        var parts: [String] = []
        if !fileProblems.isEmpty { parts.append("\(fileProblems.count) in the files") }
        if !badges.isEmpty { parts.append(badges.count == 1 ? "1 unknown badge" : "\(badges.count) unknown badges") }
        if !clocks.isEmpty { parts.append("\(clocks.count) with reader clocks") }
        if !schedules.isEmpty { parts.append("\(schedules.count) in the schedules") }
        return Result(problems: all, summary: "\(count(all.count)) (\(parts.joined(separator: ", "))); read \(read)")
    }

    private static func count(_ n: Int) -> String { n == 1 ? "1 problem" : "\(n) problems" }

    /// A quality item as a located problem.
    static func problem(_ q: QualityItem) -> InputError {
        var message = q.message
        var field: String?
        if let colon = message.range(of: ": "), !message[..<colon.lowerBound].contains(" ") {
            field = String(message[..<colon.lowerBound])
            message = String(message[colon.upperBound...])
        }
        return InputError(file: q.file ?? "-", line: q.line, field: field, message: message)
    }

    /// One problem per badge not on the people list, at its first punch.
    static func unknownBadges(_ office: Office) -> [InputError] {
        let known = Set(office.input.people.map(\.badge))
        var first: [String: (punch: Punch, count: Int)] = [:]
        for p in office.input.punches where !known.contains(p.badge) {
            first[p.badge, default: (p, 0)].count += 1
        }
        return first.values.sorted { ($0.punch.source.file, $0.punch.source.line) < ($1.punch.source.file, $1.punch.source.line) }
            .map { entry in
                let p = entry.punch
                let file = Int(p.source.file) < office.input.files.count ? office.input.files[Int(p.source.file)] : "-"
                return InputError(file: file, line: Int(p.source.line), field: "badge",
                                  message: "badge \(p.badge) is not on the people list (\(entry.count == 1 ? "1 punch" : "\(entry.count) punches"), not counted for anyone)")
            }
    }

    /// Readers whose clocks were reset or run ahead (the rule engine's `clock_skew` items).
    static func clockProblems(_ office: Office) -> [InputError] {
        guard let dates = office.punchDates else { return [] }
        let now = Office.localNow(in: office.config.site.timeZone)
        let day = min(dates.lowerBound, now.date)
        // One day is enough: skewed punches are found over the whole file table whatever the dates.
        return office.evaluate(from: day, to: day, completeThrough: nil, now: now).quality
            .filter { $0.kind == .clockSkew }
            .map { InputError(file: $0.file ?? "-", line: $0.line, field: "time", message: $0.message) }
    }

    /// Schedules whose units or persons match nobody on the people list.
    static func scheduleProblems(_ config: AgentConfig, people: [Person]) -> [InputError] {
        var out: [InputError] = []
        let ids = Set(people.map(\.id))
        for (i, s) in config.schedules.enumerated() {
            let name = "schedule[\(i + 1)]"
            for unit in s.units where !people.contains(where: { $0.unit.isWithin(unit) }) {
                out.append(InputError(file: config.file, line: config.keyLines.line(of: "\(name).units"),
                                      field: "\(name).units", message: "nobody on the people list is in unit \"\(unit)\""))
            }
            for person in s.persons where !ids.contains(person) {
                out.append(InputError(file: config.file, line: config.keyLines.line(of: "\(name).persons"),
                                      field: "\(name).persons", message: "person \(person) is not on the people list"))
            }
        }
        return out
    }
}
