import Shared

/// The Markdown digest: the terminal digest's content as headings and tables, every punch with
/// its file and line, for mail or a wiki.
enum MarkdownDigest {
    /// The digest as Markdown.
    static func render(_ report: DigestReport, language l: Language) -> String {
        var out: [String] = []
        out.append("# \(l.title) · \(escape(report.siteName))")
        out.append("")
        out.append(l.period(report.from, report.to) + " · "
                   + (report.completeThrough.map(l.complete) ?? l.watermarkOnly))
        out.append("")
        let units = report.units
        if units.isEmpty { out.append(l.noAnomalies); out.append("") }
        // Suspected off-post under its own heading, after the units' tables.
        let sections = units.map { ($0.unit.description, $0.anomalies, Optional($0.totals)) }
            + (report.suspectedAnomalies.isEmpty ? [] : [(l.vocabulary.suspected, report.suspectedAnomalies, nil)])
        for unit in sections {
            out.append("## \(escape(unit.0))")
            out.append("")
            out.append("| " + l.columns.joined(separator: " | ") + " |")
            out.append("|---|---|---|---|---:|---|---|---|---|")
            for a in unit.1 {
                let punches = a.evidence.isEmpty ? l.noPunches
                    : a.evidence.map { e in escape(l.evidence(e, a.date, sources: false)) + " `\(e.file):\(e.line)`" }
                        .joined(separator: "<br>")
                let cells = [l.vocabulary.kind(a.kind), escape("\(a.person) \(a.name)"),
                             "\(a.date)", escape(a.shiftLabel), "\(a.minutes)", l.vocabulary.severity(a.severity),
                             l.review(a), punches, escape(l.note(a))]
                out.append("| " + cells.joined(separator: " | ") + " |")
            }
            out.append("")
            if let totals = unit.2 {
                out.append("**\(l.subtotal)**" + l.colon + l.summary(totals))
                out.append("")
            }
        }
        out.append("## " + l.qualityHeading(report.quality.count))
        out.append("")
        if report.quality.isEmpty { out.append(l.noQuality) }
        for (q, omitted) in report.qualityShown {
            let at = l.location(q)
            out.append("- \(l.vocabulary.quality(q.kind))" + (at.isEmpty ? "" : " `\(at)`") + l.colon
                       + escape(l.vocabulary.message(q)))
            if omitted > 0 { out.append("- " + escape(l.omitted(q.kind, omitted))) }
        }
        out.append("")
        out.append("## \(l.total)")
        out.append("")
        out.append(kindsTable(report.totals, l))
        out.append("")
        out.append("- " + l.reviewLine(report.totals))
        out.append("- " + l.instances(report.totals.instances))
        out.append("- " + l.inputs(report.totals))
        return out.joined(separator: "\n") + "\n"
    }

    /// Count, minutes and excused count per kind.
    static func kindsTable(_ t: DigestTotals, _ l: Language) -> String {
        let head = l == .zh ? "| 类别 | 次数 | 分钟 | 请假豁免 |" : "| kind | count | minutes | excused by leave |"
        var lines = [head, "|---|---:|---:|---:|"]
        for kind in AnomalyKind.allCases {
            let k = t[kind]
            lines.append("| \(l.vocabulary.kind(kind)) | \(k.count) | \(k.minutes) | \(k.excused) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Text safe inside a table cell.
    static func escape(_ s: String) -> String {
        // Most cells hold none of the bytes below: returned as they are, without walking characters.
        let special = s.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "|"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "*"), UInt8(ascii: "`"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"): true
            default: false
            }
        }
        guard special else { return s }
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "*", "`", "<", ">": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }
}
