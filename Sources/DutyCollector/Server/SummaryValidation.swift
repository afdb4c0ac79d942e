import Shared

/// Checks of a decoded summary's content that decoding cannot make: every figure within its
/// bounds, every unit path within its bounds, no unit twice, every anomaly on the summary's business
/// date, `suspected` only on an off_post of a version-2 summary, day punches (version 3) only for
/// people with an anomaly in the summary, once each, at most `DaySummary.dayPunchLimit` a person,
/// near the business date. Each problem is a 400 naming the field.
enum SummaryValidation {
    private static let (maxCount, maxMinutes) = (FigureLimits.maxCount, FigureLimits.maxMinutes)

    /// Throws the first problem found.
    static func check(_ summary: DaySummary) throws(APIError) {
        guard summary.revision >= 1 else { throw invalid("revision", "must be 1 or more, got \(summary.revision)") }
        try noNUL("site", summary.site)
        var seen = Set<UnitPath>()
        for (i, figures) in summary.units.enumerated() {
            let field = "units[\(i)]"
            if let problem = figures.unit.limitProblem { throw invalid("\(field).unit", problem) }
            guard seen.insert(figures.unit).inserted else { throw invalid("\(field).unit", "\(figures.unit) appears twice") }
            for (name, value) in [("scheduled", figures.scheduled), ("present", figures.present), ("excused", figures.excused),
                                  ("unverified", figures.unverified)] {
                try count("\(field).\(name)", value)
            }
            for (kind, k) in figures.kinds {
                let kindField = "\(field).kinds.\(kind.rawValue)"
                try count("\(kindField).count", k.count)
                guard k.minutes >= 0, k.minutes <= k.count * maxMinutes else {
                    throw invalid("\(kindField).minutes",
                                  "must be from 0 to \(maxMinutes) per anomaly (\(k.count * maxMinutes) for \(k.count)), got \(k.minutes)")
                }
            }
        }
        var ids = Set<String>()
        for (i, anomaly) in summary.anomalies.enumerated() {
            let field = "anomalies[\(i)]"
            guard !anomaly.id.isEmpty else { throw invalid("\(field).id", "must not be empty") }
            guard ids.insert(anomaly.id).inserted else { throw invalid("\(field).id", "\(anomaly.id) appears twice") }
            if let problem = anomaly.unit.limitProblem { throw invalid("\(field).unit", problem) }
            for (name, text) in [("id", anomaly.id), ("person", anomaly.person), ("name", anomaly.name),
                                 ("shift", anomaly.shift), ("reason", anomaly.reason ?? "")] {
                try noNUL("\(field).\(name)", text)
            }
            guard anomaly.date == summary.date else {
                throw invalid("\(field).date", "is \(anomaly.date), not the summary's business date \(summary.date)")
            }
            guard (0...maxMinutes).contains(anomaly.minutes) else {
                throw invalid("\(field).minutes", "must be from 0 to \(maxMinutes) (a day), got \(anomaly.minutes)")
            }
            // Only an away interval can be suspected; a version-1 body cannot say so at all.
            if anomaly.suspected {
                guard anomaly.kind == .offPost else {
                    throw invalid("\(field).suspected", "is true on a \(anomaly.kind.rawValue); only off_post can be suspected")
                }
                guard summary.schema >= 2 else {
                    throw invalid("\(field).suspected", "needs schema version 2, the summary says \(summary.schema)")
                }
            }
        }
        try checkDayPunches(summary)
    }

    /// Day punches: version 3, one entry per person with an anomaly in the same summary, bounded.
    /// A punch lies from the day before the business date to two days after it: a window opens at
    /// most `check_in_early` (up to a day) before a start on the date, and closes at most
    /// `check_out_late` (up to a day) after an end on the next day (a night shift).
    private static func checkDayPunches(_ summary: DaySummary) throws(APIError) {
        guard !summary.dayPunches.isEmpty else { return }
        guard summary.schema >= 3 else {
            throw invalid("day_punches", "needs schema version 3, the summary says \(summary.schema)")
        }
        let accused = Set(summary.anomalies.map(\.person))
        var people = Set<String>()
        let earliest = summary.date.adding(days: -1), latest = summary.date.adding(days: 2)
        for (i, entry) in summary.dayPunches.enumerated() {
            let field = "day_punches[\(i)]"
            guard accused.contains(entry.person) else {
                throw invalid("\(field).person", "\(entry.person) has no anomaly in this summary")
            }
            guard people.insert(entry.person).inserted else { throw invalid("\(field).person", "\(entry.person) appears twice") }
            guard entry.punches.count <= DaySummary.dayPunchLimit else {
                throw invalid("\(field).punches", "must hold at most \(DaySummary.dayPunchLimit) punches, got \(entry.punches.count)")
            }
            try count("\(field).omitted", entry.omitted)
            for (j, punch) in entry.punches.enumerated() {
                guard punch.time.date >= earliest && punch.time.date <= latest else {
                    throw invalid("\(field).punches[\(j)].time",
                                  "is \(punch.time), outside \(earliest) to \(latest) around the business date \(summary.date)")
                }
                guard punch.line >= 0 else {
                    throw invalid("\(field).punches[\(j)].line", "must not be negative, got \(punch.line)")
                }
            }
        }
    }

    /// The summary with every unit in NFC (`UnitPath.nfc`), or nil when every unit already is.
    static func nfc(_ summary: DaySummary) -> DaySummary? {
        var out = summary
        var changed = false
        // Anomalies repeat a few units: normalise each spelling once.
        var seen: [String: UnitPath] = [:]
        func spell(_ unit: inout UnitPath) {
            let text = unit.description
            let n = seen[text] ?? unit.nfc
            seen[text] = n
            if !n.description.utf8.elementsEqual(unit.description.utf8) { unit = n; changed = true }
        }
        for i in out.units.indices { spell(&out.units[i].unit) }
        for i in out.anomalies.indices { spell(&out.anomalies[i].unit) }
        return changed ? out : nil
    }

    /// Text stored in a column of its own must hold no U+0000 (unit paths refuse every control
    /// character already, `UnitPath.limitProblem`): PostgreSQL refuses it in text (the
    /// summary could never be stored, and its agent would send it again for ever) and SQLite cuts
    /// the text there. JSON allows it (`\u0000`), so it is refused here, naming the field.
    private static func noNUL(_ field: String, _ text: String) throws(APIError) {
        guard !text.utf8.contains(0) else { throw invalid(field, "must not contain the character U+0000") }
    }

    private static func count(_ field: String, _ value: Int) throws(APIError) {
        guard value >= 0 else { throw invalid(field, "must not be negative, got \(value)") }
        guard value <= maxCount else { throw invalid(field, "must be at most \(maxCount), got \(value)") }
    }

    private static func invalid(_ field: String, _ message: String) -> APIError {
        .badRequest("invalid_field", "\(field) \(message)", field: field)
    }
}
