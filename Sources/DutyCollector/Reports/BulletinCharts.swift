import Foundation
import Shared

/// The bulletin's two inline SVG charts, drawn from the ranked units: rates per unit stacked by
/// kind, and this month beside last month. Every label is escaped; nothing is fetched.
enum BulletinCharts {
    /// The kinds stacked in the rates chart, with their colours (missing in and out share one).
    static let series: [(kinds: [AnomalyKind], color: String)] = [
        ([.late], "#c8161d"), ([.earlyLeave], "#e8862a"), ([.absent], "#6b2d87"),
        ([.missingIn, .missingOut], "#8c8c8c"), ([.offPost], "#1f5f99"),
    ]

    static let width = 680.0
    static let labelWidth = 150.0
    static let valueWidth = 70.0

    /// Figure 1: per ranked unit, a bar of its anomalies per 100 person-days split by kind.
    static func rates(_ units: [BulletinUnit], _ s: ReportStrings) -> String {
        let rowHeight = 24.0, top = 34.0, axis = 22.0
        let height = top + Double(units.count) * rowHeight + axis
        let scale = NiceScale(max: units.map(\.score).max() ?? 0)
        let plot = width - labelWidth - valueWidth
        var svg = open(height: height, label: s["chart.rates"])
        // Legend.
        var x = labelWidth
        for (kinds, color) in series {
            let name = kinds.map(s.kind).joined(separator: "/")
            svg += "<rect x=\"\(n(x))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(n(x + 16))\" y=\"18\" font-size=\"12\">\(ReportText.html(name))</text>"
            x += 28 + Double(ReportText.displayWidth(name)) * 6.5
        }
        svg += grid(scale, top: top, bottom: height - axis, plot: plot)
        for (i, u) in units.enumerated() {
            let y = top + Double(i) * rowHeight
            svg += label(u.unit, y: y + rowHeight / 2)
            var from = labelWidth
            for (kinds, color) in series {
                let count = kinds.reduce(0) { $0 + u.line($1).count }
                let w = BulletinBuilder.rate(count, per: u.scheduled) / scale.max * plot
                guard w > 0 else { continue }
                svg += "<rect x=\"\(n(from))\" y=\"\(n(y + 5))\" width=\"\(n(w))\" height=\"14\" fill=\"\(color)\"/>"
                from += w
            }
            svg += "<text x=\"\(n(from + 5))\" y=\"\(n(y + rowHeight / 2 + 4))\" font-size=\"12\">\(ReportText.rate(u.score))</text>"
        }
        return svg + "</svg>"
    }

    /// Figure 2: per ranked unit, last month's rate (grey) over this month's (red), and the change.
    static func monthOnMonth(_ units: [BulletinUnit], _ s: ReportStrings) -> String {
        let rowHeight = 34.0, top = 34.0, axis = 22.0
        let height = top + Double(units.count) * rowHeight + axis
        let scale = NiceScale(max: units.map { max($0.score, $0.previousScore ?? 0) }.max() ?? 0)
        let plot = width - labelWidth - valueWidth
        var svg = open(height: height, label: s["chart.mom"])
        svg += "<rect x=\"\(n(labelWidth))\" y=\"8\" width=\"12\" height=\"12\" fill=\"#b4b4b4\"/>"
        svg += "<text x=\"\(n(labelWidth + 16))\" y=\"18\" font-size=\"12\">\(ReportText.html(s["legend.previous"]))</text>"
        svg += "<rect x=\"\(n(labelWidth + 90))\" y=\"8\" width=\"12\" height=\"12\" fill=\"#c8161d\"/>"
        svg += "<text x=\"\(n(labelWidth + 106))\" y=\"18\" font-size=\"12\">\(ReportText.html(s["legend.current"]))</text>"
        svg += grid(scale, top: top, bottom: height - axis, plot: plot)
        for (i, u) in units.enumerated() {
            let y = top + Double(i) * rowHeight
            svg += label(u.unit, y: y + rowHeight / 2)
            let prev = u.previousScore ?? 0
            let wp = prev / scale.max * plot, wc = u.score / scale.max * plot
            svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 5))\" width=\"\(n(wp))\" height=\"11\" fill=\"#b4b4b4\"/>"
            svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 17))\" width=\"\(n(wc))\" height=\"11\" fill=\"#c8161d\"/>"
            let prevText = u.previousScore.map(ReportText.rate) ?? "—"
            svg += "<text x=\"\(n(labelWidth + wp + 4))\" y=\"\(n(y + 14.5))\" font-size=\"10\" fill=\"#555\">\(prevText)</text>"
            svg += "<text x=\"\(n(labelWidth + wc + 4))\" y=\"\(n(y + 26.5))\" font-size=\"10\">\(ReportText.rate(u.score))</text>"
            let change = ReportText.change(u.scoreChange)
            let color = (u.scoreChange ?? 0) > 0.005 ? "#c8161d" : (u.scoreChange ?? 0) < -0.005 ? "#1d7a3a" : "#555"
            svg += "<text x=\"\(n(width - 4))\" y=\"\(n(y + rowHeight / 2 + 4))\" font-size=\"12\" text-anchor=\"end\" "
            svg += "fill=\"\(color)\">\(change)</text>"
        }
        return svg + "</svg>"
    }

    /// The opening tag with a title for screen readers.
    static func open(height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" role=\"img\" aria-label=\"\(ReportText.html(label))\" "
            + "font-family=\"Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimHei, sans-serif\">"
            + "<title>\(ReportText.html(label))</title>"
    }

    /// Vertical grid lines with their values below the plot.
    static func grid(_ scale: NiceScale, top: Double, bottom: Double, plot: Double) -> String {
        var svg = ""
        for tick in scale.ticks {
            let x = labelWidth + tick / scale.max * plot
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#dddddd\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(n(x))\" y=\"\(n(bottom + 15))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(scale.text(tick))</text>"
        }
        svg += "<line x1=\"\(n(labelWidth))\" y1=\"\(n(top))\" x2=\"\(n(labelWidth))\" y2=\"\(n(bottom))\" stroke=\"#333\" stroke-width=\"1\"/>"
        return svg
    }

    /// A unit's name at the left of its row, cut to fit.
    static func label(_ unit: UnitPath, y: Double) -> String {
        let name = ReportText.truncate(unit.components.last ?? unit.description, to: 22)
        return "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y + 4))\" font-size=\"12\" text-anchor=\"end\">"
            + "\(ReportText.html(name))</text>"
    }

    /// A coordinate with at most one decimal.
    static func n(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(format: "%.1f", Double(tenths) / 10)
    }
}

/// An axis from 0 to a round maximum with four or five round ticks.
struct NiceScale {
    var max: Double
    var step: Double

    init(max value: Double) {
        guard value > 0 else {
            max = 1
            step = 0.25
            return
        }
        let rough = value / 5
        let magnitude = pow(10, floor(log10(rough)))
        let nice = [1.0, 2, 2.5, 5, 10].first { $0 * magnitude >= rough }! * magnitude
        step = nice
        max = (value / nice).rounded(.up) * nice
    }

    /// 0, step, 2·step … max.
    var ticks: [Double] {
        let count = Int((max / step).rounded())
        return (0...count).map { Double($0) * step }
    }

    /// A tick's label without trailing zeros.
    func text(_ x: Double) -> String {
        var t = ReportText.rate(x)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
