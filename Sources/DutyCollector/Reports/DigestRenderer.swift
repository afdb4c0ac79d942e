import Foundation
import Shared

/// The digest as a terminal table (CJK-width aligned), Markdown, CSV or JSON. Kinds, severities and
/// review states are printed as the labels of `Vocabulary` (迟到, 特别严重, 待审核 / 已确认 / 已豁免), with
/// no machine code beside them; shifts by their name when they have one.
enum DigestRenderer {
    /// The header line and the counts.
    static func summary(_ d: Digest, _ s: ReportStrings) -> [String] {
        let scope = d.scope?.description ?? s["digest.all"]
        let zh = s.language == .zh
        let period = zh ? "\(d.from) 至 \(d.to)" : "\(d.from) to \(d.to)"
        var lines = ["\(s["digest.title"])　\(s["digest.period"])：\(period)　\(s["digest.scope"])：\(scope)"]
        if !zh { lines[0] = "\(s["digest.title"]) — \(s["digest.period"]): \(period) — \(s["digest.scope"]): \(scope)" }
        guard d.total > 0 else { return lines + [s["digest.empty"]] }
        let kinds = d.byKind.map { "\(s.kind($0.kind)) \($0.count)" }.joined(separator: zh ? "，" : ", ")
        let hrExcused = d.excused - d.leaveExcused
        if zh {
            var counted = "计入 \(d.charged) 条" + (kinds.isEmpty ? "" : "：\(kinds)")
            var aside: [String] = []
            if d.leaveExcused > 0 { aside.append("请假豁免 \(d.leaveExcused) 条") }
            if hrExcused > 0 { aside.append("人事部门豁免 \(hrExcused) 条") }
            if d.suspectedCount > 0 { aside.append("\(s.vocabulary.suspected) \(d.suspectedCount) 条") }
            if !aside.isEmpty { counted += "；另有" + aside.joined(separator: "、") + "，不计入" }
            lines.append("共列出 \(d.total) 条，" + counted + "。")
            lines.append("审核：\(s.review(.open)) \(d.open)，\(s.review(.confirmed)) \(d.confirmed)，"
                         + "\(s.review(.excused)) \(d.excused)（其中请假 \(d.leaveExcused)）。")
        } else {
            var counted = "\(d.charged) charged" + (kinds.isEmpty ? "" : ": \(kinds)")
            var aside: [String] = []
            if d.leaveExcused > 0 { aside.append("\(d.leaveExcused) excused by leave") }
            if hrExcused > 0 { aside.append("\(hrExcused) excused by HR") }
            if d.suspectedCount > 0 { aside.append("\(d.suspectedCount) \(s.vocabulary.suspected)") }
            if !aside.isEmpty { counted += "; " + aside.joined(separator: " and ") + ", not charged" }
            lines.append("\(d.total) listed, " + counted + ".")
            lines.append("Review: \(s.review(.open)) \(d.open), \(s.review(.confirmed)) \(d.confirmed), "
                         + "\(s.review(.excused)) \(d.excused) (\(d.leaveExcused) of them by leave).")
        }
        return lines
    }

    /// The units' sections, then the suspected anomalies' under their own heading (存疑待核 · unit),
    /// each with the heading it is printed under.
    static func sections(_ d: Digest, _ s: ReportStrings) -> [(DigestUnit, String)] {
        d.units.map { ($0, $0.unit.description) }
            + (d.suspected ?? []).map { ($0, "\(s.vocabulary.suspected) · \($0.unit)") }
    }

    /// The kind's label (迟到).
    static func kind(_ e: DigestEntry, _ s: ReportStrings) -> String { s.kind(e.kind) }

    /// Leave excuse (the leave as the leaves file wrote it) and review note.
    static func note(_ e: DigestEntry, _ s: ReportStrings) -> String {
        let zh = s.language == .zh
        var parts: [String] = []
        if e.leaveExcused {
            let reason = e.leaveReason ?? ""
            parts.append(reason.isEmpty ? s["digest.leave"] : "\(s["digest.leave"])\(zh ? "：" : ": ")\(reason)")
        }
        if let n = e.reviewNote, !n.isEmpty {
            parts.append(e.reviewedBy.map { zh ? "\(n)（\($0)）" : "\(n) (\($0))" } ?? n)
        }
        return parts.joined(separator: zh ? "；" : "; ")
    }

    /// Punch times: `09:12:30`, with the date when it is not the business date.
    static func punches(_ e: DigestEntry) -> String {
        e.evidence.map { p in
            p.time.date == e.date ? p.time.timeOfDay : "\(p.time.date) \(p.time.timeOfDay)"
        }.joined(separator: " ")
    }

    /// The terminal table: a heading per unit; the person's id and name on their first row only.
    static func table(_ d: Digest, language: Language = .zh) -> String {
        let s = ReportStrings(language)
        var out = summary(d, s).joined(separator: "\n") + "\n"
        guard d.total > 0 else { return out }
        let header = [s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"], s["col.minutes"],
                      s["col.severity"], s["col.review"], s["col.evidence"], s["col.note"]]
        var rows: [(String?, [String])] = []
        for (u, heading) in sections(d, s) {
            rows.append((heading, []))
            for p in u.people {
                for (i, e) in p.entries.enumerated() {
                    rows.append((nil, [i == 0 ? p.person : "", i == 0 ? p.name : "", e.date.description, e.shiftLabel,
                                       kind(e, s), "\(e.minutes)", s.severity(e.severity), s.review(e.review), punches(e),
                                       note(e, s)]))
                }
            }
        }
        var widths = header.map(ReportText.displayWidth)
        for (_, r) in rows where !r.isEmpty {
            for (i, c) in r.enumerated() { widths[i] = max(widths[i], ReportText.displayWidth(c)) }
        }
        let numeric: Set = [5]
        func format(_ cells: [String]) -> String {
            var line = "  "
            for (i, c) in cells.enumerated() {
                line += i == cells.count - 1 ? c : ReportText.pad(c, to: widths[i], right: numeric.contains(i)) + "  "
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }
        for (heading, r) in rows {
            if let unit = heading {
                out += "\n\(unit)\n" + format(header)
                out += "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            } else {
                out += format(r)
            }
        }
        return out
    }

    /// Markdown: a section per unit with one table.
    static func markdown(_ d: Digest, language: Language = .zh) -> String {
        let s = ReportStrings(language)
        let lines = summary(d, s)
        var out = "# \(ReportText.markdown(lines[0]))\n\n" + lines.dropFirst().map { ReportText.markdown($0) + "\n\n" }.joined()
        for (u, heading) in sections(d, s) {
            out += "## \(ReportText.markdown(heading))\n\n"
            var rows: [[String]] = []
            for p in u.people {
                for e in p.entries {
                    rows.append([p.person, p.name, e.date.description, e.shiftLabel, kind(e, s), "\(e.minutes)",
                                 s.severity(e.severity), s.review(e.review), punches(e), note(e, s)])
                }
            }
            out += BulletinMarkdownRenderer.table(
                [s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"], s["col.minutes"],
                 s["col.severity"], s["col.review"], s["col.evidence"], s["col.note"]], rows, numeric: [5])
        }
        return out
    }

    /// CSV: one row per anomaly, every column filled, labels in the chosen language (no machine code:
    /// `--format json` is the machine's format); UTF-8 with a byte-order mark, CRLF.
    static func csv(_ d: Digest, language: Language = .zh) -> String {
        let s = ReportStrings(language)
        var out = "\u{FEFF}" + BulletinCSVRenderer.line([
            s["col.unit"], s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"],
            s["col.minutes"], s["col.severity"], s["col.review"], s["digest.leave"], s["col.note"], s["col.evidence"],
            s["col.id"],
        ])
        for (u, _) in sections(d, s) {
            let suspected = !d.units.contains(u)
            for p in u.people {
                for e in p.entries {
                    out += BulletinCSVRenderer.line([
                        u.unit.description, p.person, p.name, e.date.description, e.shiftLabel, s.kind(e.kind),
                        "\(e.minutes)", s.severity(e.severity), suspected ? s.vocabulary.suspected : s.review(e.review),
                        e.leaveExcused ? e.leaveReason ?? s["digest.leave"] : "", e.reviewNote ?? "",
                        e.evidence.map { "\($0.time) @\($0.reader)" }.joined(separator: "; "), e.id,
                    ])
                }
            }
        }
        return out
    }
}
