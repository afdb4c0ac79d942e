import Foundation
import Shared

/// Everything an office's inputs hold, read once: the rule engine's input, what was wrong with the
/// files, and a summary of each badge file. Free of printing: `check`, `validate` and the daemon
/// all build on it.
struct Office: Sendable {
    var config: AgentConfig
    /// The engine's input; `input.files` is the file table (badge files, then roster and leaves).
    var input: AttendanceInput
    /// Data-quality items of the files: bad lines, roster and leave rows that name unknown people or shifts.
    var quality: [QualityItem]
    var badgeFiles: [BadgeFileSummary]
    /// The first and last date punches fall on (punches before 2001, from a reset clock, aside);
    /// nil without punches.
    var punchDates: ClosedRange<CivilDate>?
    /// Where date-less bad lines of the badge files belong, when not every punch is held (the
    /// daemon's incremental reading); nil: from `input.punches`.
    var dating: QualityDating?

    /// Reads every input named by `config`, reporting progress file by file.
    ///
    /// A bad row becomes a quality item and the rest of the file is used; a file that cannot be
    /// read at all throws its `InputError`.
    ///
    /// `badges` gives a badge file's readout instead of reading the file whole (the daemon passes
    /// what it holds of each file); it is called with the file and its index in the file table.
    /// `now` is when the inputs are judged (a scan's one clock): a device that pushes and has been
    /// silent past its limit at `now` has an outage still open.
    static func load(_ config: AgentConfig, progress: (any ProgressReporter)? = nil, now: Date = Date(),
                     badges: ((InputFile, Int32) throws -> BadgeFileReadout)? = nil) throws -> Office {
        var quality: [QualityItem] = []
        var files: [String] = []
        let inputs = config.inputs

        progress?.update("people: \(inputs.people.display)")
        let peopleReadout = try PeopleFileReader.read(contentsOf: inputs.people.url, displayName: inputs.people.display)
        quality += peopleReadout.quality
        let people = peopleReadout.rows

        var calendar = HolidayCalendar()
        for file in inputs.holidays {
            progress?.update("holidays: \(file.display)")
            let c = try HolidayFileReader.read(contentsOf: file.url, displayName: file.display)
            calendar.offDays.merge(c.offDays) { a, _ in a }
            calendar.workDays.merge(c.workDays) { a, _ in a }
        }

        var punches = PunchTable()
        var summaries: [BadgeFileSummary] = []
        for (i, file) in inputs.badges.enumerated() {
            let index = Int32(files.count)
            files.append(file.display)
            let readout = try badges?(file, index)
                ?? BadgeFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: index,
                                        format: file.format, wholeLinesOnly: !BadgeJournal.mayEndMidLine(file))
            punches += readout.punches
            quality += readout.quality
            summaries.append(BadgeFileSummary(file: file.display, format: readout.format.rawValue, lines: readout.lines,
                                              blankLines: readout.blankLines, punches: readout.punches.count,
                                              badLines: readout.badLines))
            progress?.update("badges: \(i + 1)/\(inputs.badges.count) files, \(punches.count) punches")
        }

        let known = Set(people.map(\.id))
        var roster: [RosterEntry] = []
        if let file = inputs.roster {
            progress?.update("roster: \(file.display)")
            let index = Int32(files.count)
            files.append(file.display)
            let readout = try RosterFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: index)
            quality += readout.quality
            let codes = Set(config.shifts.map(\.code))
            for entry in readout.rows {
                if !known.contains(entry.person) {
                    quality.append(rowProblem(file, entry.source, "person",
                                              "person \(entry.person) is not on the people list; the roster entry is skipped"))
                } else if !codes.contains(entry.shift) && entry.shift != "off" {
                    quality.append(rowProblem(file, entry.source, "shift",
                                              "no [[shift]] in the config has code \"\(entry.shift)\"; the roster entry is skipped"))
                } else {
                    roster.append(entry)
                }
            }
        }

        var leaves: [Leave] = []
        if let file = inputs.leaves {
            progress?.update("leaves: \(file.display)")
            let index = Int32(files.count)
            files.append(file.display)
            let readout = try LeavesFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: index)
            quality += readout.quality
            for leave in readout.rows {
                if known.contains(leave.person) {
                    leaves.append(leave)
                } else {
                    quality.append(rowProblem(file, leave.source, "person",
                                              "person \(leave.person) is not on the people list; the leave is skipped"))
                }
            }
        }

        var transfers: [Transfer] = []
        if let file = inputs.transfers {
            progress?.update("transfers: \(file.display)")
            let index = Int32(files.count)
            files.append(file.display)
            let readout = try TransfersFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: index)
            quality += readout.quality
            for (transfer, source) in readout.rows {
                if known.contains(transfer.person) {
                    transfers.append(transfer)
                } else {
                    quality.append(rowProblem(file, source, "person",
                                              "person \(transfer.person) is not on the people list; the transfer is skipped"))
                }
            }
        }

        var first: LocalDateTime?
        var last: LocalDateTime?
        // A reset clock (2000-01-01) must not stretch the default dates over decades.
        let plausible = LocalDateTime(date: CivilDate(year: 2001, month: 1, day: 1)!, secondsOfDay: 0)
        for p in punches where p.time >= plausible {
            if first.map({ p.time < $0 }) ?? true { first = p.time }
            if last.map({ p.time > $0 }) ?? true { last = p.time }
        }
        var input = AttendanceInput(siteID: config.site.id, people: people, shifts: config.shiftsByCode,
                                    schedules: config.schedules, workweek: inputs.workweek, calendar: calendar,
                                    readers: config.readers, roster: roster, leaves: leaves, punches: punches,
                                    files: files)
        input.transfers = transfers
        input.timeZone = config.site.timeZone.identifier
        if let adms = config.adms {
            // The devices that push: their outages (calls recorded by the receiver) and clock drift.
            let stateName = (adms.journalDisplay.hasSuffix("/") ? adms.journalDisplay : adms.journalDisplay + "/") + ".devices.json"
            do {
                let state = try ADMSDeviceState.read(adms.stateFile)
                input.outages = ADMSDeviceState.outages(state, config: adms, zone: config.site.timeZone, now: now)
                quality += ADMSDeviceState.clockSkews(state, config: adms, zone: config.site.timeZone)
            } catch {
                quality.append(QualityItem(kind: .badLine, file: stateName,
                                           message: "the ADMS device state cannot be read (\(error)); reader outages of the "
                                               + "devices that push are not known until the receiver writes it again"))
            }
        }
        // File order of the config, then line order, so problems read top to bottom.
        let order = [inputs.people.display] + inputs.holidays.map(\.display) + files
        let rank = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        quality = quality.enumerated().sorted {
            let a = (rank[$0.element.file ?? ""] ?? .max, $0.element.line ?? 0, $0.offset)
            let b = (rank[$1.element.file ?? ""] ?? .max, $1.element.line ?? 0, $1.offset)
            return a < b
        }.map(\.element)
        var dates: ClosedRange<CivilDate>?
        if let first, let last { dates = first.date...last.date }
        return Office(config: config, input: input, quality: quality, badgeFiles: summaries, punchDates: dates)
    }

    /// Judges the business dates `from...to`. `completeThrough` says the data is complete through
    /// that date (`check --to`); `now` is the site's local time (see `localNow`).
    func evaluate(from: CivilDate, to: CivilDate, completeThrough: CivilDate?, now: LocalDateTime?) -> Evaluation {
        AttendanceEngine.evaluate(input, EvaluationRequest(from: from, to: to, completeThrough: completeThrough,
                                                           now: now))
    }

    /// `date` as a wall-clock time of the site's time zone.
    static func localNow(in zone: TimeZone, at date: Date = Date()) -> LocalDateTime {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: date))
        return LocalDateTime(seconds: seconds)
    }

    /// The first and last date of the punches that are plausible at `now`: after 2001 and not in
    /// the future (a reader clock running ahead must not stretch the default dates either).
    func punchDates(notAfter now: LocalDateTime) -> ClosedRange<CivilDate>? {
        guard let all = punchDates else { return nil }
        if all.upperBound < now.date { return all }
        var last: LocalDateTime?
        let floor = all.lowerBound.midnight
        for p in input.punches where p.time >= floor && p.time <= now {
            if last.map({ p.time > $0 }) ?? true { last = p.time }
        }
        return last.map { all.lowerBound...$0.date }
    }

    /// Punches read from every badge file.
    var punchCount: Int { input.punches.count }

    private static func rowProblem(_ file: InputFile, _ source: SourceRef, _ field: String, _ message: String) -> QualityItem {
        QualityItem(kind: .badLine, file: file.display, line: Int(source.line), field: field, message: "\(field): \(message)")
    }
}

/// What one badge file held.
struct BadgeFileSummary: Sendable, Hashable, Codable {
    /// The file relative to the config file.
    var file: String
    /// The detected format (`zkteco-attlog`, `zkteco-adms`, `csv`, `jsonl`).
    var format: String
    var lines: Int
    var blankLines: Int
    var punches: Int
    var badLines: Int
}
