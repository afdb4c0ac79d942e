import ConfigSupport
import Foundation
import Shared
import TOMLKit

/// Turns the agent's TOML text into an `AgentConfig`, collecting every problem as an `InputError`
/// that names the config file, the line (TOMLKit's for syntax errors, else the key's own line)
/// and the key (`shift[2].start`, counting `[[shift]]` tables from 1).
struct AgentConfigParser {
    /// The config file as the user named it.
    let file: String
    /// The folder input paths are relative to.
    let directory: URL
    /// Everything wrong found so far, in file order of discovery.
    private(set) var problems: [InputError] = []
    /// What is accepted but has no effect (a deprecated key): said by `validate` and at `run`'s start.
    private(set) var warnings: [InputError] = []
    private let text: String
    let locator: TOMLKeyLocator

    /// A parser for the config `text` read from `file`.
    init(file: String, text: String) {
        self.file = file
        self.text = text
        self.locator = TOMLKeyLocator(text: text)
        self.directory = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL
    }

    /// Parses the whole file; nil when a required part is missing or broken (see `problems`).
    mutating func parse() -> AgentConfig? {
        let root: TOMLTable
        do {
            root = try TOMLDocument.parse(text: text, file: file).root
        } catch {
            problems.append(error)
            return nil
        }
        checkKeys(root, at: "", allowed: ["site", "inputs", "rules", "reader", "shift", "schedule", "collector", "alerts", "alert", "adms"])
        let site = parseSite(root)
        let (rules, rulesAwayLimit) = parseRules(root)
        let readers = parseReaders(root)
        let shifts = parseShifts(root, rules: rules, rulesAwayLimit: rulesAwayLimit, readers: readers)
        let schedules = parseSchedules(root, shifts: shifts)
        let inputs = parseInputs(root)
        let collector = parseCollector(root)
        let alerts = parseAlerts(root)
        let adms = parseADMS(root, readers: readers)
        guard let site, var inputs else { return nil }
        if let adms { inputs.badges = Self.withJournal(inputs.badges, adms) }
        var config = AgentConfig(file: file, directory: directory, site: site, inputs: inputs, rules: rules,
                                 shifts: shifts, schedules: schedules, readers: readers, collector: collector,
                                 alerts: alerts, keyLines: locator)
        config.adms = adms
        config.warnings = warnings
        return config
    }

    /// The badge files with the ADMS journal's files: a journal file a `badges` glob also matched
    /// stays where the glob put it, the others come last; every one is read as a journal.
    static func withJournal(_ badges: [InputFile], _ adms: ADMSConfig) -> [InputFile] {
        var out = badges
        for file in adms.journalInputs() {
            var journal = file
            journal.format = .zktecoAttlog
            if let i = out.firstIndex(where: { $0.url.standardizedFileURL.path == file.url.standardizedFileURL.path }) {
                out[i].format = .zktecoAttlog
            } else {
                out.append(journal)
            }
        }
        return out
    }

    // MARK: reporting

    /// Records a problem with `key` (a full key such as `shift[2].start`).
    mutating func fail(_ key: String, _ message: String) {
        problems.append(InputError(file: file, line: locator.line(of: key), field: key, message: message))
    }

    /// Records that `key` is accepted but has no effect.
    mutating func warn(_ key: String, _ message: String) {
        warnings.append(InputError(file: file, line: locator.line(of: key), field: key, message: message))
    }

    /// `table.key`, or `key` at the root.
    func path(_ table: String, _ key: String) -> String { table.isEmpty ? key : "\(table).\(key)" }

    /// Reports every key of `table` that is not in `allowed`, suggesting a close one.
    mutating func checkKeys(_ table: TOMLTable, at name: String, allowed: [String]) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            var message = "unknown key \"\(key)\""
            if let near = allowed.min(by: { Self.distance($0, key) < Self.distance($1, key) }),
               Self.distance(near, key) <= 2 {
                message += "; did you mean \"\(near)\"?"
            } else {
                message += "; allowed here: " + allowed.joined(separator: ", ")
            }
            fail(path(name, key), message)
        }
    }

    // MARK: typed access

    /// The sub-table `key`, reporting a value of another type.
    mutating func table(_ parent: TOMLTable, _ key: String, at name: String) -> TOMLTable? {
        guard let value = parent[key] else { return nil }
        guard let t = value.table else {
            fail(path(name, key), "must be a table [\(key)]")
            return nil
        }
        return t
    }

    /// The tables of the array of tables `[[key]]`, each with its key name (`shift[1]`, …).
    mutating func tables(_ parent: TOMLTable, _ key: String) -> [(name: String, table: TOMLTable)] {
        guard let value = parent[key] else { return [] }
        guard let array = value.array else {
            fail(key, "must be written as [[\(key)]] tables")
            return []
        }
        var out: [(String, TOMLTable)] = []
        for (i, element) in array.enumerated() {
            if let t = element.table {
                out.append(("\(key)[\(i + 1)]", t))
            } else {
                fail(key, "must be written as [[\(key)]] tables")
            }
        }
        return out
    }

    /// A string value; a missing required one is reported.
    mutating func string(_ t: TOMLTable, _ key: String, at name: String, required: Bool = false) -> String? {
        guard let value = t[key] else {
            if required { fail(path(name, key), "missing; it is required in [\(name)]") }
            return nil
        }
        guard let s = value.string else {
            fail(path(name, key), "must be a string in quotes")
            return nil
        }
        return s
    }

    /// A string or an integer written as an id (`id = "2"` or `id = 2`).
    mutating func identifier(_ t: TOMLTable, _ key: String, at name: String, required: Bool = false) -> String? {
        if let i = t[key]?.int { return String(i) }
        guard let s = string(t, key, at: name, required: required) else { return nil }
        if s.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(path(name, key), "must not be empty")
            return nil
        }
        return s
    }

    /// A whole number within `minimum…maximum`; a value outside is reported as out of range.
    mutating func int(_ t: TOMLTable, _ key: String, at name: String, minimum: Int = 0, maximum: Int) -> Int? {
        guard let value = t[key] else { return nil }
        guard let i = value.int else {
            fail(path(name, key), "must be a whole number, not \(value.debugDescription)")
            return nil
        }
        guard i >= minimum else {
            fail(path(name, key), "must be at least \(minimum), not \(i)")
            return nil
        }
        guard i <= maximum else {
            fail(path(name, key), "\(i) is out of range: at most \(maximum)")
            return nil
        }
        return i
    }

    /// A list of strings; a single string counts as a list of one where `single` allows it.
    mutating func strings(_ t: TOMLTable, _ key: String, at name: String, single: Bool = true) -> [String]? {
        guard let value = t[key] else { return nil }
        if single, let s = value.string { return [s] }
        guard let array = value.array else {
            fail(path(name, key), single ? "must be a string or a list of strings" : "must be a list of strings")
            return nil
        }
        var out: [String] = []
        for element in array {
            if let s = element.string {
                out.append(s)
            } else if let i = element.int {
                out.append(String(i))
            } else {
                fail(path(name, key), "must be a list of strings; \(element.debugDescription) is not one")
                return nil
            }
        }
        return out
    }

    /// A time of day `HH:mm` (a string, or a TOML local time with zero seconds).
    mutating func clockTime(_ t: TOMLTable, _ key: String, at name: String, allowMidnightEnd: Bool) -> ClockTime? {
        guard let value = t[key] else {
            fail(path(name, key), "missing; every [[shift]] needs a start and an end (\"HH:mm\")")
            return nil
        }
        if let time = value.time, time.second == 0, time.nanoSecond == 0 {
            return ClockTime(minutes: time.hour * 60 + time.minute)
        }
        guard let s = value.string else {
            fail(path(name, key), "must be a time in quotes, \"HH:mm\"")
            return nil
        }
        guard let c = ClockTime(s.trimmingCharacters(in: .whitespaces)), allowMidnightEnd || c.minutes < 1440 else {
            fail(path(name, key), "\"\(s)\" is not a time of day; write \"HH:mm\" from 00:00 to 23:59")
            return nil
        }
        return c
    }

    /// Resolves a config path or glob to files, reporting a missing file or a pattern that matches nothing.
    mutating func files(_ pattern: String, key: String) -> [InputFile] {
        let found = InputGlob.files(matching: pattern, in: directory)
        if found.isEmpty {
            let place = pattern.hasPrefix("/") ? "" : " (looked in \(directory.path))"
            if InputGlob.isPattern(pattern) {
                fail(key, "no file matches \"\(pattern)\"" + place)
            } else {
                fail(key, "no such file: \"\(pattern)\"" + place)
            }
        }
        return found
    }

    /// Levenshtein distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return row[b.count]
    }
}
