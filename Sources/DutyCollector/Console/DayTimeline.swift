import Foundation
import Shared

/// A person's business day drawn as an SVG timeline (coordinates computed here, drawn by the
/// `anomaly` template): the shift windows, leave, away intervals and every punch the day's
/// anomalies rest on, numbered as in the evidence table.
struct DayTimeline {
    let anomalies: [Anomaly]
    let focus: String
    let language: Language

    /// The drawing's width in SVG units and the margins of the time axis.
    static let width = 960.0, left = 40.0, right = 20.0

    /// The evidence of the day, each punch once, by time: number, time, reader, direction, file, line.
    static func evidenceRows(_ anomalies: [Anomaly], language: Language) -> [[String: Any]] {
        punches(anomalies).enumerated().map { i, e in
            ["n": i + 1, "time": e.time.timeOfDay, "date": e.time.date.description, "reader": e.reader,
             "direction": e.direction.map { direction($0, language) } ?? "", "file": e.file, "line": e.line]
        }
    }

    static func punches(_ anomalies: [Anomaly]) -> [Evidence] {
        var seen = Set<String>()
        return anomalies.flatMap(\.evidence).filter { seen.insert("\($0.file)#\($0.line)#\($0.time.seconds)").inserted }
            .sorted { $0.time < $1.time }
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

    var model: [String: Any] {
        let punches = Self.punches(anomalies)
        var times = punches.map(\.time.seconds)
        for a in anomalies {
            times += [a.expectedStart, a.expectedEnd, a.awayFrom, a.awayTo].compactMap { $0?.seconds }
        }
        guard let low = times.min(), let high = times.max() else { return ["empty": true] }
        let start = (low / 3600 - 1) * 3600
        let end = max((high + 3599) / 3600 + 1, start / 3600 + 4) * 3600
        let span = Double(end - start)
        func x(_ t: LocalDateTime) -> String { String(format: "%.1f", Self.left + Double(t.seconds - start) / span * (Self.width - Self.left - Self.right)) }
        func w(_ a: LocalDateTime, _ b: LocalDateTime) -> String {
            String(format: "%.1f", max(2, Double(b.seconds - a.seconds) / span * (Self.width - Self.left - Self.right)))
        }
        var ticks: [[String: Any]] = []
        let step: Int64 = span > 16 * 3600 ? 7200 : 3600
        var t = start
        while t <= end {
            let time = LocalDateTime(seconds: t)
            ticks.append(["x": x(time), "label": String(time.timeOfDay.prefix(5))])
            t += step
        }
        var windows: [[String: Any]] = []
        var seenShifts = Set<String>()
        for a in anomalies {
            guard let s = a.expectedStart, let e = a.expectedEnd, seenShifts.insert("\(a.shift)\(s.seconds)").inserted else { continue }
            windows.append(["x": x(s), "width": w(s, e), "label": "\(a.shift) \(s.timeOfDay.prefix(5))–\(e.timeOfDay.prefix(5))",
                            "leave": a.excused, "reason": a.reason ?? ""])
        }
        let away: [[String: Any]] = anomalies.compactMap { a in
            guard let f = a.awayFrom, let to = a.awayTo else { return nil }
            return ["x": x(f), "width": w(f, to), "label": "\(f.timeOfDay.prefix(5))–\(to.timeOfDay.prefix(5))", "focus": a.id == focus]
        }
        let dots: [[String: Any]] = punches.enumerated().map { i, e in
            ["x": x(e.time), "n": i + 1, "label": String(e.time.timeOfDay.prefix(5)), "reader": e.reader,
             "out": e.direction == .exit, "above": i % 2 == 0]
        }
        return ["ticks": ticks, "windows": windows, "away": away, "punches": dots, "width": Int(Self.width)]
    }
}
