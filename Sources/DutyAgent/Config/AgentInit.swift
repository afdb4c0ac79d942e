import Foundation
import Shared
#if canImport(Glibc)
import Glibc
#endif

/// `duty-agent init`: surveys an office's badge exports and people list and writes a first,
/// commented `agent.toml` from them. Suggestions are written as such; nothing is overwritten.
enum AgentInit {
    /// One reader as the badge files show it.
    struct ReaderSurvey: Sendable, Equatable {
        var id: String
        var punches = 0
        var first: LocalDateTime?
        var last: LocalDateTime?
        var formats: Set<String> = []
        var files: Set<String> = []
        /// How many punches carried each state value (nil: the format has no state column).
        var states: [Int16: Int] = [:]
    }

    /// A suggested day shift and how many person-days it rests on.
    struct ShiftSuggestion: Sendable, Equatable {
        var start: ClockTime
        var end: ClockTime
        /// Person-days whose first punch (before noon) is in the half hour up to `start`, of all such days.
        var arrivals: (matching: Int, of: Int)
        /// Person-days whose last punch (after noon) is in the half hour from `end`, of all such days.
        var departures: (matching: Int, of: Int)

        static func == (a: Self, b: Self) -> Bool {
            a.start == b.start && a.end == b.end && a.arrivals == b.arrivals && a.departures == b.departures
        }
    }

    /// Everything `init` learnt from the files.
    struct Survey: Sendable {
        /// Badge files read, relative names (to the badges folder) with their format and punch count.
        var badgeFiles: [(name: String, format: String, punches: Int, badLines: Int)] = []
        /// Files of the badges folder that are not badge files, with the reason.
        var skipped: [(name: String, reason: String)] = []
        var readers: [ReaderSurvey] = []
        var people: [Person] = []
        var peopleProblems = 0
        /// Punches whose badge is on the people list.
        var knownPunches = 0
        var totalPunches = 0
        var years: [Int] = []
        var shift: ShiftSuggestion?
        /// Per unit group (the people list's units to the second level, `局/科室`, with everything
        /// under it): its people, the person-days with punches and how many of them fit the
        /// suggested shift (first punch at most 30 minutes after its start, last at most 30 minutes
        /// before its end). Only groups where most days fit are put on the suggested schedule.
        var units: [UnitFit] = []
    }

    /// How well a unit's punches fit the suggested shift.
    struct UnitFit: Sendable, Equatable {
        var unit: String
        var people: Int
        var days: Int
        var fitting: Int
        /// Most of the unit's person-days with punches fit the shift.
        var scheduled: Bool { days > 0 && fitting * 2 > days }
    }

    /// What `write` did.
    struct Outcome: Sendable {
        var configPath: String
        var survey: Survey
        /// Calendars copied next to the config (`holidays/2026.json`), kept (already there) or missing.
        var holidaysCopied: [String] = []
        var holidaysKept: [String] = []
        var holidaysMissing: [Int] = []
        /// Decisions the generated config leaves to the person installing it.
        var leftToDecide: [String] = []
    }

    /// Reads the badge files of `badgesDir` (every regular, non-hidden file; formats detected from
    /// the content) and the people file. Throws when the folder or the people file cannot be read
    /// or no file of the folder is a badge file.
    static func survey(badgesDir: URL, peopleFile: URL, peopleDisplay: String, badgesDisplay: String,
                       now: LocalDateTime) throws -> Survey {
        var s = Survey()
        let peopleReadout = try PeopleFileReader.read(contentsOf: peopleFile, displayName: peopleDisplay)
        s.people = peopleReadout.rows
        s.peopleProblems = peopleReadout.quality.count

        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: badgesDir.path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw InputError(file: badgesDisplay, field: "--badges",
                             message: "cannot list the folder (\(BadgeFileReader.reason(error)))")
        }
        var readers: [String: ReaderSurvey] = [:]
        let personOfBadge = Dictionary(s.people.map { ($0.badge, $0.id) }, uniquingKeysWith: { a, _ in a })
        // Per (person, date): the first and last punch of the day.
        var days: [String: [Int: (first: Int, last: Int, count: Int)]] = [:]
        var yearSet = Set<Int>()
        let latestYear = now.date.year + 1
        for name in names {
            let url = badgesDir.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let readout: BadgeFileReadout
            do {
                readout = try BadgeFileReader.read(contentsOf: url, displayName: name, fileIndex: 0)
            } catch let error as InputError {
                s.skipped.append((name, error.message))
                continue
            }
            if readout.punches.isEmpty {
                s.skipped.append((name, readout.lines == readout.blankLines
                                    ? "empty" : "no readable punch (\(readout.badLines) bad lines)"))
                continue
            }
            s.badgeFiles.append((name, readout.format.rawValue, readout.punches.count, readout.badLines))
            for p in readout.punches {
                s.totalPunches += 1
                var r = readers[p.reader] ?? ReaderSurvey(id: p.reader)
                r.punches += 1
                if r.first.map({ p.time < $0 }) ?? true { r.first = p.time }
                if r.last.map({ $0 < p.time }) ?? true { r.last = p.time }
                r.formats.insert(readout.format.rawValue)
                r.files.insert(name)
                if let st = p.state { r.states[st, default: 0] += 1 }
                readers[p.reader] = r
                let date = p.time.date
                if date.year >= 2001, date.year <= latestYear { yearSet.insert(date.year) }
                guard let person = personOfBadge[p.badge] else { continue }
                s.knownPunches += 1
                let t = p.time.secondsOfDay
                if let d = days[person]?[date.dayNumber] {
                    days[person]?[date.dayNumber] = (min(d.first, t), max(d.last, t), d.count + 1)
                } else {
                    days[person, default: [:]][date.dayNumber] = (t, t, 1)
                }
            }
        }
        if s.badgeFiles.isEmpty {
            let why = s.skipped.isEmpty ? "the folder holds no file"
                : "none of its \(s.skipped.count) files holds badge records (\(s.skipped[0].name): \(s.skipped[0].reason))"
            throw InputError(file: badgesDisplay, field: "--badges", message: why)
        }
        s.readers = readers.values.sorted { ($0.id.count, $0.id) < ($1.id.count, $1.id) }
        s.years = yearSet.sorted()
        s.shift = suggestShift(days.values.flatMap(\.values))
        s.units = unitFits(people: s.people, days: days, shift: s.shift)
        return s
    }

    /// The unit groups of `people` (see `Survey.units`) and how their person-days fit `shift`.
    /// When someone sits directly in a top-level unit, that whole unit is one group.
    static func unitFits(people: [Person], days: [String: [Int: (first: Int, last: Int, count: Int)]],
                         shift: ShiftSuggestion?) -> [UnitFit] {
        let shallow = Set(people.filter { $0.unit.components.count == 1 }.map { $0.unit.components[0] })
        func group(_ p: Person) -> String {
            let c = p.unit.components
            if let top = c.first, shallow.contains(top) { return top }
            return c.prefix(2).joined(separator: "/")
        }
        var order: [String] = []
        var fits: [String: UnitFit] = [:]
        for p in people {
            let g = group(p)
            if fits[g] == nil { order.append(g); fits[g] = UnitFit(unit: g, people: 0, days: 0, fitting: 0) }
            fits[g]?.people += 1
            for d in (days[p.id] ?? [:]).values {
                fits[g]?.days += 1
                guard let shift else { continue }
                let start = shift.start.minutes * 60, end = shift.end.minutes * 60
                if d.count >= 2, d.first <= start + 1800, d.last >= end - 1800 { fits[g]?.fitting += 1 }
            }
        }
        return order.compactMap { fits[$0] }
    }

    /// The most common arrival and departure, to the half hour: a day's first punch before noon
    /// counts for the half hour it falls before (08:41 → 09:00), its last punch after noon (on a day
    /// with two punches or more) for the half hour it falls after (17:48 → 17:30). Nil when there are
    /// no such days.
    static func suggestShift(_ days: [(first: Int, last: Int, count: Int)]) -> ShiftSuggestion? {
        var arrivals: [Int: Int] = [:]
        var departures: [Int: Int] = [:]
        var arrivalDays = 0
        var departureDays = 0
        for d in days {
            if d.first >= 5 * 3600, d.first < 12 * 3600 {
                let minutes = (d.first + 59) / 60
                arrivals[(minutes + 29) / 30 * 30, default: 0] += 1
                arrivalDays += 1
            }
            if d.count >= 2, d.last >= 12 * 3600, d.last < 24 * 3600 {
                departures[d.last / 60 / 30 * 30, default: 0] += 1
                departureDays += 1
            }
        }
        // The most frequent half hour; on a tie the earlier arrival and the later departure.
        guard let start = arrivals.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }),
              let end = departures.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return nil }
        return ShiftSuggestion(start: ClockTime(minutes: start.key), end: ClockTime(minutes: min(end.key, 24 * 60 - 1)),
                               arrivals: (start.value, arrivalDays), departures: (end.value, departureDays))
    }

    /// Where the calendars shipped with the program are: beside the binary's folder (`bin/../holidays`,
    /// the release tarball and /opt/dutywatch), `share/dutywatch/holidays`, or a `holidays` folder
    /// above it (a development build in `.build/...`).
    static func bundledHolidays() -> URL? {
        guard let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        var dir = exe.deletingLastPathComponent()
        var candidates: [URL] = [dir.deletingLastPathComponent().appendingPathComponent("share/dutywatch/holidays")]
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("holidays"))
        }
        candidates.insert(exe.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("holidays"), at: 0)
        return candidates.first { url in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.contains { $0.hasPrefix("20") && $0.hasSuffix(".json") }
        }
    }

    /// Writes the config at `output` (never over an existing file) and the calendars of the years
    /// the punches cover into `holidays/` beside it (an existing calendar is kept).
    static func write(output: String, badgesDir: String, peopleFile: String, siteID: String?, timeZone: String,
                      holidaysBundle: URL?, now: LocalDateTime) throws -> Outcome {
        let fm = FileManager.default
        let outURL = URL(fileURLWithPath: output).standardizedFileURL
        if fm.fileExists(atPath: outURL.path) {
            throw InputError(file: output, field: "--output",
                             message: "already exists; init never overwrites a file: name another one with --output or move it away")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw InputError(file: output, field: "--timezone", message: "\"\(timeZone)\" is not an IANA time zone (such as Asia/Shanghai)")
        }
        let outDir = outURL.deletingLastPathComponent()
        let badgesURL = URL(fileURLWithPath: badgesDir).standardizedFileURL
        let peopleURL = URL(fileURLWithPath: peopleFile).standardizedFileURL
        let survey = try Self.survey(badgesDir: badgesURL, peopleFile: peopleURL, peopleDisplay: peopleFile,
                                     badgesDisplay: badgesDir, now: now)
        var outcome = Outcome(configPath: output, survey: survey)

        // Calendars: copied from the bundle, an existing file beside the config kept as it is.
        var calendars = false
        if !survey.years.isEmpty {
            let target = outDir.appendingPathComponent("holidays")
            for year in survey.years {
                let name = "holidays/\(year).json"
                let dest = target.appendingPathComponent("\(year).json")
                if fm.fileExists(atPath: dest.path) {
                    outcome.holidaysKept.append(name)
                    calendars = true
                    continue
                }
                guard let source = holidaysBundle?.appendingPathComponent("\(year).json"), fm.fileExists(atPath: source.path)
                else {
                    outcome.holidaysMissing.append(year)
                    continue
                }
                do {
                    try fm.createDirectory(at: target, withIntermediateDirectories: true)
                    try fm.copyItem(at: source, to: dest)
                } catch {
                    throw InputError(file: dest.path, message: "cannot copy the bundled calendar (\(BadgeFileReader.reason(error)))")
                }
                outcome.holidaysCopied.append(name)
                calendars = true
            }
        }

        let site = siteID ?? Self.identifier(from: outDir.lastPathComponent)
        let text = render(survey, outDir: outDir, badgesURL: badgesURL, peopleURL: peopleURL, siteID: site,
                          timeZone: timeZone, calendars: calendars, missingYears: outcome.holidaysMissing,
                          now: now)
        // O_EXCL: a file that appeared since the check above is not overwritten either.
        let fd = open(outURL.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(file: output, field: "--output", message: "cannot create the config (\(reason)); init never overwrites a file")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            throw InputError(file: output, message: "cannot write the config (\(BadgeFileReader.reason(error)))")
        }

        var left: [String] = []
        if siteID == nil {
            left.append("[site] id = \"\(site)\" was taken from the folder's name: set the id this office has at the collector (`duty-collector agents add --id …`); never change it once summaries were sent")
        }
        if let shift = survey.shift {
            left.append("[[shift]] \"day\" \(shift.start)–\(shift.end) is a SUGGESTION from the punch times: confirm the hours (and add lunch breaks) with HR")
        } else {
            left.append("[[shift]]: no working day could be seen in the punches; write the office's hours")
        }
        let unscheduled = survey.units.filter { !$0.scheduled }.map(\.unit)
        left.append("[[schedule]] puts \(survey.units.count - unscheduled.count) of \(survey.units.count) units on the day shift on workdays"
            + (unscheduled.isEmpty ? "" : "; not scheduled (their punches do not follow it): \(unscheduled.joined(separator: ", "))")
            + "; add night duty or other shifts")
        left.append("[[reader]] direction and post: all readers are `unknown`; set in/out/state and the duty posts where known")
        left.append("roster and leaves files: add `roster = …` and `leaves = …` to [inputs] when the office keeps them")
        if !outcome.holidaysMissing.isEmpty {
            left.append("holiday calendars: none bundled for \(outcome.holidaysMissing.map(String.init).joined(separator: ", ")); put holiday-cn's YEAR.json into holidays/")
        }
        left.append("[collector]: fill in url and token_file before `duty-agent run` (not needed for `check`)")
        outcome.leftToDecide = left
        return outcome
    }

    /// The config text.
    static func render(_ s: Survey, outDir: URL, badgesURL: URL, peopleURL: URL, siteID: String, timeZone: String,
                       calendars: Bool, missingYears: [Int], now: LocalDateTime) -> String {
        let badgesRel = relativePath(from: outDir, to: badgesURL)
        var out = """
            # Written by `duty-agent init` on \(now.date) (\(BuildInfo.versionLine)) from
            #   badges: \(badgesURL.path)
            #   people: \(peopleURL.path) (\(s.people.count) people\(s.peopleProblems > 0 ? ", \(s.peopleProblems) rows with problems: see `duty-agent validate`" : ""))
            # Every setting is explained in docs/config.md. Lines marked SUGGESTED were guessed from the
            # files: check them before the agent's anomalies are shown to anyone.

            [site]
            id = \(toml(siteID))             # the id this office has at the collector: set it before the first push, never change it after
            # name = "…"                     # the office's name as the digests and the bulletin show it
            timezone = \(toml(timeZone))

            [inputs]
            people = \(toml(relativePath(from: outDir, to: peopleURL)))

            """
        // Badge files: one pattern per extension when every file with it is a badge file, else the files.
        out += "# Badge files found (format, punches):\n"
        for f in s.badgeFiles {
            out += "#   \(f.name): \(f.format), \(f.punches) punches\(f.badLines > 0 ? ", \(f.badLines) bad lines" : "")\n"
        }
        for f in s.skipped { out += "#   \(f.name): not used: \(f.reason)\n" }
        var patterns: [String] = []
        var byExtension: [String: [String]] = [:]
        for f in s.badgeFiles { byExtension[(f.name as NSString).pathExtension, default: []].append(f.name) }
        let skippedExtensions = Set(s.skipped.map { ($0.name as NSString).pathExtension })
        for (ext, names) in byExtension.sorted(by: { $0.key < $1.key }) {
            if !ext.isEmpty, !skippedExtensions.contains(ext), InputGlob.isPattern(ext) == false,
               names.allSatisfy({ !InputGlob.isPattern($0) }) {
                patterns.append(join(badgesRel, "*.\(ext)"))
            } else {
                patterns += names.map { join(badgesRel, $0) }
            }
        }
        out += "badges = [\(patterns.map(toml).joined(separator: ", "))]\n"
        out += "# roster = \"roster.csv\"             # the duty roster (person,date,shift), if the office keeps one\n"
        out += "# leaves = \"leaves.csv\"             # approved leaves (person,from,to[,kind]), if the office keeps them\n"
        let yearList = s.years.map(String.init).joined(separator: ", ")
        if calendars {
            out += "holidays = [\"holidays/*.json\"]     # holiday-cn calendars for \(yearList), copied from the ones bundled with DutyWatch\n"
        } else {
            out += "# holidays = [\"holidays/*.json\"]   # no calendar bundled for \(yearList): holiday-cn's YEAR.json files go here\n"
        }
        if !missingYears.isEmpty, calendars {
            out += "# No calendar was bundled for \(missingYears.map(String.init).joined(separator: ", ")): add holiday-cn's file for it to holidays/.\n"
        }
        out += "workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\n"
        out += "# [rules] are left at their defaults (docs/config.md): 5 minutes' grace, 60 minutes late counts as absent, …\n\n"

        if let shift = s.shift {
            out += """
                # SUGGESTED from the punch times, to be confirmed with HR: the office's day shift.
                #   start \(shift.start): \(shift.arrivals.matching) of \(shift.arrivals.of) person-days' first punch (before noon) falls in the half hour up to it
                #   end   \(shift.end): \(shift.departures.matching) of \(shift.departures.of) person-days' last punch (after noon) falls in the half hour from it
                # Add the lunch break if the office has one, e.g. breaks = ["12:00-13:30"].
                [[shift]]
                code = "day"
                name = "日间班"
                start = \(toml(shift.start.description))   # SUGGESTED
                end = \(toml(shift.end.description))     # SUGGESTED


                """
        } else {
            out += """
                # No working day could be seen in the punches (no person-day with a first punch before noon
                # and a last one after it): write the office's hours here.
                # [[shift]]
                # code = "day"
                # start = "09:00"
                # end = "17:30"


                """
        }
        // A schedule on a unit covers everything under it; units whose punches do not follow the
        // shift (leaders, night staff…) are left off rather than accused of being late every day.
        let scheduled = s.units.filter(\.scheduled)
        out += "# SUGGESTED: the units whose punches mostly follow the shift work it on workdays (the workweek\n"
        out += "# corrected by the holiday calendars). Person-days fitting the shift (first punch by start+30 min,\n"
        out += "# last from end-30 min), per unit:\n"
        for u in s.units {
            out += "#   \(u.unit): \(u.people) people, \(u.fitting) of \(u.days) person-days fit"
            out += u.scheduled ? "\n" : " - NOT scheduled: decide with HR which shift, if any, they work\n"
        }
        if scheduled.isEmpty {
            out += "# No unit's punches follow the suggested shift: write the schedules by hand.\n"
            out += "# [[schedule]]\n# units = [\"…\"]\n# shift = \"day\"\n# days = \"workdays\"\n\n\n"
        } else {
            out += """
                [[schedule]]
                units = [\(scheduled.map { toml($0.unit) }.joined(separator: ", "))]
                shift = "day"
                days = "workdays"


                """
        }
        out += "# Readers found in the badge files. direction: in | out | state (trust the punch's state column) | unknown;\n"
        out += "# post: the duty post the reader guards (for off-post checks of duty shifts).\n"
        for r in s.readers {
            let first = r.first.map { "\($0.date)" } ?? "-"
            let last = r.last.map { "\($0.date)" } ?? "-"
            out += "[[reader]]    # \(r.punches) punches, \(first) to \(last); \(r.formats.sorted().joined(separator: ", ")): \(r.files.sorted().joined(separator: ", "))\n"
            if !r.states.isEmpty {
                let states = r.states.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                out += "#   states recorded: \(states) (0 in, 1 out, 2 break out, 3 break in, 255 none)\n"
            }
            out += "id = \(toml(r.id))\ndirection = \"unknown\"\n# post = \"duty-room\"\n\n"
        }
        out += """
            # For `duty-agent run` and `push` (not needed by `check` or `validate`): where the day summaries go.
            # [collector]
            # url = "https://collector.example.gov.cn"   # the collector's base URL
            # token_file = "agent.token"                 # the token `duty-collector agents add --id \(siteID) …` printed; readable by dutywatch only
            # spool = "/var/lib/duty-agent/spool"        # where summaries wait until the collector has them

            """
        return out
    }

    /// `text` as a TOML basic string.
    static func toml(_ text: String) -> String {
        var s = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\t": s += "\\t"
            case "\r": s += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F { s += String(format: "\\u%04X", u.value) } else { s.unicodeScalars.append(u) }
            }
        }
        return s + "\""
    }

    /// `target` relative to the folder `base` (`../badges`), or absolute when they share only `/`.
    static func relativePath(from base: URL, to target: URL) -> String {
        let b = base.standardizedFileURL.pathComponents
        let t = target.standardizedFileURL.pathComponents
        var common = 0
        while common < b.count, common < t.count, b[common] == t[common] { common += 1 }
        if common <= 1 { return target.standardizedFileURL.path }
        let ups = Array(repeating: "..", count: b.count - common)
        let rest = Array(t[common...])
        let parts = ups + rest
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// A site id from a folder name: letters, digits, `-` and `_` kept, the rest `-`.
    static func identifier(from name: String) -> String {
        let mapped = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let trimmed = mapped.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "office" : trimmed
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir == "." ? name : dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
