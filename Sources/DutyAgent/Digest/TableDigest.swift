import Shared

/// The terminal digest HR reads: per unit a table of anomalies with the kind, the person, date,
/// shift (its name when it has one), minutes, severity, review state and the punch times, a subtotal line; then the
/// data-quality items and the overall totals. Columns are aligned by display width.
enum TableDigest {
    /// The digest as text; `sources` adds the file and line of every punch.
    static func render(_ report: DigestReport, language l: Language, sources: Bool = false) -> String {
        var out: [String] = []
        out.append("\(l.title) · \(l.site) \(report.siteName)")
        out.append(l.period(report.from, report.to) + " · "
                   + (report.completeThrough.map(l.complete) ?? l.watermarkOnly))
        out.append("")
        let units = report.units
        if units.isEmpty { out.append(l.noAnomalies); out.append("") }
        for unit in units {
            out.append("■ \(unit.unit)")
            let rows = unit.anomalies.map { row($0, l, sources: sources) }
            out += table([l.columns] + rows, rightAligned: [4]).map { "  " + $0 }
            out.append("  " + l.subtotal + l.colon + l.summary(unit.totals) + (l == .zh ? "。" : "."))
            out.append("")
        }
        // Suspected off-post: the badges do not show the return; HR checks before anything counts.
        let suspected = report.suspectedAnomalies
        if !suspected.isEmpty {
            out.append("■ \(l.vocabulary.suspected)")
            let rows = suspected.map { row($0, l, sources: sources) }
            out += table([l.columns] + rows, rightAligned: [4]).map { "  " + $0 }
            out.append("")
        }
        out.append(l.qualityHeading(report.quality.count))
        if report.quality.isEmpty {
            out.append("  " + l.noQuality)
        } else {
            let shown = report.qualityShown
            let lines = table(shown.map { [l.vocabulary.quality($0.item.kind), l.location($0.item),
                                           l.vocabulary.message($0.item)] },
                              rightAligned: [])
            for (line, entry) in zip(lines, shown) {
                out.append("  " + line)
                if entry.omittedAfter > 0 { out.append("  " + l.omitted(entry.item.kind, entry.omittedAfter)) }
            }
        }
        out.append("")
        out.append(l.total + l.colon + l.summary(report.totals))
        out.append("  " + l.reviewLine(report.totals))
        out.append("  " + l.instances(report.totals.instances))
        out.append("  " + l.inputs(report.totals))
        return out.joined(separator: "\n") + "\n"
    }

    /// One anomaly's cells, in the order of `Language.columns`.
    static func row(_ a: Anomaly, _ l: Language, sources: Bool) -> [String] {
        let punches = a.evidence.isEmpty ? l.noPunches
            : a.evidence.map { l.evidence($0, a.date, sources: sources) }.joined(separator: " ")
        return [l.vocabulary.kind(a.kind), "\(a.person) \(a.name)", "\(a.date)", a.shiftLabel,
                "\(a.minutes)", l.vocabulary.severity(a.severity), l.review(a), punches, l.note(a)]
    }

    /// Rows padded to common column widths (the last column is not padded), two spaces apart.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let count = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: count)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        return rows.map { r in
            var line = ""
            for (i, cell) in r.enumerated() {
                let last = i == r.count - 1
                line += last && !rightAligned.contains(i) ? cell
                    : DisplayWidth.pad(cell, to: widths[i], right: rightAligned.contains(i))
                if !last { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
