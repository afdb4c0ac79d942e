import Foundation
import Shared

/// A person's business day drawn as an SVG timeline (coordinates computed here, drawn by the
/// `anomaly` template): the shift windows, leave, away intervals and the punches, numbered as in
/// the table under it. With the day's punches of a schema-3 summary (`dayPunches`) that is every
/// punch of the person's shift windows, those the anomalies rest on marked; without them (an older
/// agent) only the anomalies' evidence.
struct DayTimeline {
    let anomalies: [Anomaly]
    let focus: String
    let language: Language
    /// Every punch of the person's day, when the agent sent them.
    var dayPunches: PersonDayPunches? = nil

    /// The drawing's width in SVG units and the margins of the time axis.
    static let width = 960.0, left = 40.0, right = 20.0

    /// One punch of the timeline: whether an anomaly of the day rests on it.
    struct Mark {
        var punch: Evidence
        var evidence: Bool
    }

    /// The punches of the day, each once, by time: number, time, reader, direction, file, line,
    /// and whether it is an anomaly's evidence.
    static func evidenceRows(_ anomalies: [Anomaly], dayPunches: PersonDayPunches? = nil,
                             language: Language) -> [[String: Any]] {
        punches(anomalies, dayPunches: dayPunches).enumerated().map { i, m in
            let e = m.punch
            return ["n": i + 1, "time": e.time.timeOfDay, "date": e.time.date.description, "reader": e.reader,
                    "direction": e.direction.map { direction($0, language) } ?? "", "file": e.file, "line": e.line,
                    "evidence": m.evidence]
        }
    }

    /// The anomalies' evidence, and every punch of `dayPunches` beside it: each punch once (by
    /// file, line and time), in time order then file and line.
    static func punches(_ anomalies: [Anomaly], dayPunches: PersonDayPunches? = nil) -> [Mark] {
        func key(_ e: Evidence) -> String { "\(e.file)#\(e.line)#\(e.time.seconds)" }
        var seen = Set<String>()
        let evidence = anomalies.flatMap(\.evidence).filter { seen.insert(key($0)).inserted }
        var marks = evidence.map { Mark(punch: $0, evidence: true) }
        for p in dayPunches?.punches ?? [] where seen.insert(key(p)).inserted { marks.append(Mark(punch: p, evidence: false)) }
        return marks.sorted { a, b in
            let x = a.punch, y = b.punch
            return x.time != y.time ? x.time < y.time : (x.file != y.file ? x.file < y.file : x.line < y.line)
        }
    }

    private static func direction(_ d: PunchDirection, _ language: Language) -> String {
        switch (d, language) {
        case (.entrance, .zh): "进"
        case (.entrance, .en): "in"
        case (.exit, .zh): "出"
        case (.exit, .en): "out"
        case (.unknown, _): ""
        }
    }

    /// A label's estimated width in SVG units at the timeline's 11-unit font: a Chinese character is
    /// about as wide as the font is high, a digit or Latin letter a little over half of it.
    static func labelWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0.0) { $0 + ($1.value >= 0x2E80 ? 11.0 : 6.4) } + 6
    }

    /// Labels laid out in rows so that no two overlap: each goes into the first row (nearest the
    /// bar) where it clears every label already there. Returns each label's row, in input order.
    static func rows(_ spans: [(from: Double, to: Double)]) -> [Int] {
        var occupied: [[(Double, Double)]] = []
        return spans.map { span in
            let row = occupied.firstIndex { placed in placed.allSatisfy { span.to <= $0.0 || span.from >= $0.1 } } ?? occupied.count
            if row == occupied.count { occupied.append([]) }
            occupied[row].append((span.from, span.to))
            return row
        }
    }

    /// The timeline's geometry: the shift windows (their labels above the bar), the punches (their
    /// labels above too, never over another label), the away intervals below the bar (a suspected
    /// one hatched), then the time axis' labels; the drawing grows by a row for every row of labels.
    var model: [String: Any] {
        let marks = Self.punches(anomalies, dayPunches: dayPunches)
        let punches = marks.map(\.punch)
        var times = punches.map(\.time.seconds)
        for a in anomalies {
            times += [a.expectedStart, a.expectedEnd, a.awayFrom, a.awayTo].compactMap { $0?.seconds }
        }
        guard let low = times.min(), let high = times.max() else { return ["empty": true] }
        let start = (low / 3600 - 1) * 3600
        let end = max((high + 3599) / 3600 + 1, start / 3600 + 4) * 3600
        let span = Double(end - start)
        let plot = Self.width - Self.left - Self.right
        func position(_ t: LocalDateTime) -> Double { Self.left + Double(t.seconds - start) / span * plot }
        func x(_ t: LocalDateTime) -> String { String(format: "%.1f", position(t)) }
        func w(_ a: LocalDateTime, _ b: LocalDateTime) -> String {
            String(format: "%.1f", max(2, Double(b.seconds - a.seconds) / span * plot))
        }
        func y(_ value: Double) -> String { String(format: "%.0f", value) }
        let rowHeight = 15.0

        // Above the bar: the shift labels (from the window's start), then the punch labels (centred).
        struct Label { var from: Double; var to: Double; var text: String }
        var windows: [[String: Any]] = []
        var above: [Label] = []
        var seenShifts = Set<String>()
        for a in anomalies {
            guard let s = a.expectedStart, let e = a.expectedEnd, seenShifts.insert("\(a.shift)\(s.seconds)").inserted else { continue }
            let label = "\(a.shiftLabel) \(s.timeOfDay.prefix(5))–\(e.timeOfDay.prefix(5))"
            let text = a.excused ? label + " · " + (a.reason ?? "") : label
            let from = position(s)
            above.append(Label(from: from, to: from + Self.labelWidth(text), text: text))
            windows.append(["x": x(s), "width": w(s, e), "label": label, "leave": a.excused, "reason": a.reason ?? ""])
        }
        let shiftLabels = above.count
        for (i, e) in punches.enumerated() {
            let text = "\(i + 1) \(e.time.timeOfDay.prefix(5))"
            let width = Self.labelWidth(text), centre = position(e.time)
            above.append(Label(from: centre - width / 2, to: centre + width / 2, text: text))
        }
        let aboveRows = Self.rows(above.map { ($0.from, $0.to) })
        let rowsAbove = Double((aboveRows.max() ?? 0) + 1)
        let barTop = 10 + rowsAbove * rowHeight
        func aboveY(_ row: Int) -> String { y(barTop - 6 - Double(row) * rowHeight) }
        for i in windows.indices { windows[i]["labelY"] = aboveY(aboveRows[i]) }

        let vocabulary = Vocabulary(language)
        var awayItems: [(a: Anomaly, from: LocalDateTime, to: LocalDateTime, text: String)] = []
        for a in anomalies {
            guard let f = a.awayFrom, let to = a.awayTo else { continue }
            let times = "\(f.timeOfDay.prefix(5))–\(to.timeOfDay.prefix(5))"
            let text = (a.suspected ? vocabulary.suspected : ConsoleText.text("awayInterval", language)) + " " + times
            awayItems.append((a, f, to, text))
        }
        let belowRows = Self.rows(awayItems.map { item in
            (position(item.from), position(item.from) + Self.labelWidth(item.text))
        })
        let awayTop = barTop + 28
        let away: [[String: Any]] = awayItems.enumerated().map { i, item in
            ["x": x(item.from), "width": w(item.from, item.to), "y": y(awayTop), "label": item.text,
             "labelY": y(awayTop + 26 + Double(belowRows[i]) * rowHeight),
             "focus": item.a.id == focus, "suspected": item.a.suspected]
        }
        let rowsBelow = Double(belowRows.isEmpty ? 0 : (belowRows.max() ?? 0) + 1)
        let tickY = awayTop + 26 + rowsBelow * rowHeight + 4
        var ticks: [[String: Any]] = []
        let step: Int64 = span > 16 * 3600 ? 7200 : 3600
        var t = start
        while t <= end {
            let time = LocalDateTime(seconds: t)
            ticks.append(["x": x(time), "label": String(time.timeOfDay.prefix(5))])
            t += step
        }
        // The evidence is marked only beside other punches (with the evidence alone, every dot is).
        let evidenceWord = dayPunches == nil ? nil : ConsoleText.text("evidenceMark", language)
        let dots: [[String: Any]] = marks.enumerated().map { i, m in
            let e = m.punch
            return ["x": x(e.time), "n": i + 1, "label": String(e.time.timeOfDay.prefix(5)), "reader": e.reader,
                    "file": e.file, "line": e.line, "out": e.direction == .exit, "evidence": m.evidence,
                    "mark": m.evidence ? evidenceWord.map { " · " + $0 } ?? "" : "", "labelY": aboveY(aboveRows[shiftLabels + i])]
        }
        let axis = barTop + 12
        return ["ticks": ticks, "windows": windows, "away": away, "punches": dots, "width": Int(Self.width),
                "height": y(tickY + 10), "barY": y(barTop), "axisY": y(axis), "tickTop": y(axis - 4), "tickBottom": y(axis + 4),
                "tickLabelY": y(tickY), "axisEnd": y(Self.width - Self.right)]
    }
}
