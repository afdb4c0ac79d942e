import Foundation
import Shared
import TOMLKit

extension AgentConfigParser {
    /// `[[shift]]`: `code` (required, unique), `name` (optional, what people read: 夜间值班), `kind`
    /// (work | duty), `start`, `end` ("HH:mm"), `breaks`
    /// (["HH:mm-HH:mm"]), `posts` (reader posts), and any rule key overriding `[rules]`.
    ///
    /// `away_limit` is the shift's own, else `[rules]`'s when given, else 15 on duty and 30 on work shifts.
    mutating func parseShifts(_ root: TOMLTable, rules: RuleSettings, rulesAwayLimit: Bool,
                              readers: [ReaderConfig]) -> [Shift] {
        var shifts: [Shift] = []
        let posts = Set(readers.compactMap(\.post))
        let entries = tables(root, "shift")
        if entries.isEmpty, root["shift"] == nil {
            fail("shift", "missing: define at least one [[shift]] with code, start and end")
        }
        for (name, t) in entries {
            checkKeys(t, at: name, allowed: ["code", "name", "kind", "start", "end", "breaks", "posts"] + Self.ruleKeys)
            let code = identifier(t, "code", at: name, required: true)
            if let code, shifts.contains(where: { $0.code == code }) {
                fail("\(name).code", "shift \"\(code)\" is defined twice")
            }
            var kind = ShiftKind.work
            if let k = string(t, "kind", at: name) {
                if let parsed = ShiftKind(rawValue: k) {
                    kind = parsed
                } else {
                    fail("\(name).kind", "\"\(k)\" is not a shift kind; use work or duty")
                }
            }
            let start = clockTime(t, "start", at: name, allowMidnightEnd: false)
            let end = clockTime(t, "end", at: name, allowMidnightEnd: true)
            var (shiftRules, awayGiven) = readRules(t, at: name, over: rules)
            if !awayGiven, !rulesAwayLimit { shiftRules.awayLimit = kind == .duty ? 15 : 30 }
            let shiftPosts = strings(t, "posts", at: name, single: false) ?? []
            for post in shiftPosts where !posts.contains(post) {
                let known = posts.isEmpty ? "no [[reader]] has a post" : "known posts: " + posts.sorted().joined(separator: ", ")
                fail("\(name).posts", "no [[reader]] has post = \"\(post)\" (\(known))")
            }
            let shiftName = string(t, "name", at: name)
            if let shiftName, shiftName.trimmingCharacters(in: .whitespaces).isEmpty {
                fail("\(name).name", "empty: give the shift a name people read (夜间值班), or leave the key out")
            }
            guard let code, let start, let end else { continue }
            var shift = Shift(code: code, kind: kind, start: start, end: end, posts: shiftPosts, rules: shiftRules)
            if let shiftName, !shiftName.trimmingCharacters(in: .whitespaces).isEmpty { shift.name = shiftName }
            shift.breaks = breaks(t, at: name, shift: shift)
            shifts.append(shift)
        }
        return shifts
    }

    /// The shift's `breaks`, as minutes after the shift date's midnight and inside the shift.
    private mutating func breaks(_ t: TOMLTable, at name: String, shift: Shift) -> [BreakWindow] {
        let key = "\(name).breaks"
        var out: [BreakWindow] = []
        let shiftEnd = shift.start.minutes + shift.lengthMinutes
        for text in strings(t, "breaks", at: name, single: false) ?? [] {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, var s = ClockTime(parts[0]).map(\.minutes), s < 1440,
                  var e = ClockTime(parts[1]).map(\.minutes)
            else {
                fail(key, "\"\(text)\" is not a break; write \"HH:mm-HH:mm\" such as \"12:00-13:30\"")
                continue
            }
            if shift.crossesMidnight, s < shift.start.minutes { s += 1440; e += 1440 }
            if e <= s { e += 1440 }
            guard s >= shift.start.minutes, e <= shiftEnd else {
                fail(key, "break \"\(text)\" is not inside the shift \(shift.start)-\(shift.end)")
                continue
            }
            if out.contains(where: { s < $0.end.minutes && $0.start.minutes < e }) {
                fail(key, "break \"\(text)\" overlaps another break")
                continue
            }
            out.append(BreakWindow(start: ClockTime(minutes: s), end: ClockTime(minutes: e)))
        }
        return out.sorted { $0.start < $1.start }
    }

    /// `[[schedule]]`: `units` (unit path prefixes) and/or `persons` (ids), `shift` (a defined code),
    /// `days` ("workdays" | "all" | a list of day names; default "workdays").
    mutating func parseSchedules(_ root: TOMLTable, shifts: [Shift]) -> [Schedule] {
        var schedules: [Schedule] = []
        // Codes of shifts with other mistakes count as defined: one mistake, one message.
        let written = (root["shift"]?.array).map { $0.compactMap { $0.table?["code"]?.string } } ?? []
        let codes = Set(shifts.map(\.code)).union(written)
        for (name, t) in tables(root, "schedule") {
            checkKeys(t, at: name, allowed: ["units", "persons", "shift", "days"])
            var units: [UnitPath] = []
            for text in strings(t, "units", at: name) ?? [] {
                switch UnitText.path(text) {
                case .success(let path): units.append(path)
                case .failure(let error): fail("\(name).units", "\"\(text.debugDescription.dropFirst().dropLast())\" \(error)")
                }
            }
            let persons = strings(t, "persons", at: name) ?? []
            if units.isEmpty, persons.isEmpty, t["units"] == nil, t["persons"] == nil {
                fail(name, "names nobody: give units = [\"…\"] or persons = [\"…\"]")
            }
            let shift = identifier(t, "shift", at: name, required: true)
            if let shift, !codes.contains(shift) {
                fail("\(name).shift", "no [[shift]] has code \"\(shift)\" (defined: \(codes.sorted().joined(separator: ", ")))")
            }
            var days = Schedule.Days.workdays
            if let value = t["days"] {
                if let s = value.string {
                    switch s {
                    case "workdays": days = .workdays
                    case "all": days = .all
                    default: days = .weekdays(weekdays([s], key: "\(name).days"))
                    }
                } else if let list = strings(t, "days", at: name, single: false) {
                    days = .weekdays(weekdays(list, key: "\(name).days"))
                }
            }
            guard let shift, shifts.contains(where: { $0.code == shift }) else { continue }
            schedules.append(Schedule(units: units, persons: persons, shift: shift, days: days))
        }
        return schedules
    }
}
