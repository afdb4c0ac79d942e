import Foundation
import Shared

/// The digest as a terminal table (CJK-width aligned), Markdown, CSV or JSON. Kinds are printed
/// as their label and their machine name (`迟到 late`); review states as 待审核 / 已确认 / 已免责.
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
        let states = "\(s.review(.open)) \(d.open)\(zh ? "，" : ", ")\(s.review(.confirmed)) \(d.confirmed)"
            + "\(zh ? "，" : ", ")\(s.review(.excused)) \(d.excused)"
        lines.append(zh ? "共 \(d.total) 条：\(kinds)；\(states)" : "\(d.total) anomalies: \(kinds); \(states)")
        return lines
    }

    /// `迟到 late`.
    static func kind(_ e: DigestEntry, _ s: ReportStrings) -> String {
        s.language == .zh ? "\(s.kind(e.kind, duty: e.duty)) \(e.kind.rawValue)" : e.kind.rawValue
    }

    /// Leave excuse and review note.
    static func note(_ e: DigestEntry, _ s: ReportStrings) -> String {
        var parts: [String] = []
        if e.leaveExcused { parts.append("\(s["digest.leave"])：\(e.leaveReason ?? "")") }
        if let n = e.reviewNote, !n.isEmpty { parts.append(e.reviewedBy.map { "\(n)（\($0)）" } ?? n) }
        return parts.joined(separator: "；")
    }

    /// Punch times: `09:12:30`, with the date when it is not the business date.
    static func punches(_ e: DigestEntry) -> String {
        e.evidence.map { p in
            p.time.date == e.date ? p.time.timeOfDay : "\(p.time.date) \(p.time.timeOfDay)"
        }.joined(separator: " ")
    }

    /// The terminal table: a heading per unit; the person's id and name on their first row only.
    static func table(_ d: Digest, language: ReportLanguage = .zh) -> String {
        let s = ReportStrings(language)
        var out = summary(d, s).joined(separator: "\n") + "\n"
        guard d.total > 0 else { return out }
        let header = [s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"], s["col.minutes"],
                      s["col.severity"], s["col.review"], s["col.evidence"], s["col.note"]]
        var rows: [(UnitPath?, [String])] = []
        for u in d.units {
            rows.append((u.unit, []))
            for p in u.people {
                for (i, e) in p.entries.enumerated() {
                    rows.append((nil, [i == 0 ? p.person : "", i == 0 ? p.name : "", e.date.description, e.shift,
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
        for (unit, r) in rows {
            if let unit {
                out += "\n\(unit)\n" + format(header)
                out += "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            } else {
                out += format(r)
            }
        }
        return out
    }

    /// Markdown: a section per unit with one table.
    static func markdown(_ d: Digest, language: ReportLanguage = .zh) -> String {
        let s = ReportStrings(language)
        let lines = summary(d, s)
        var out = "# \(ReportText.markdown(lines[0]))\n\n" + lines.dropFirst().map { ReportText.markdown($0) + "\n\n" }.joined()
        for u in d.units {
            out += "## \(ReportText.markdown(u.unit.description))\n\n"
            var rows: [[String]] = []
            for p in u.people {
                for e in p.entries {
                    rows.append([p.person, p.name, e.date.description, e.shift, kind(e, s), "\(e.minutes)",
                                 s.severity(e.severity), s.review(e.review), punches(e), note(e, s)])
                }
            }
            out += BulletinMarkdownRenderer.table(
                [s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"], s["col.minutes"],
                 s["col.severity"], s["col.review"], s["col.evidence"], s["col.note"]], rows, numeric: [5])
        }
        return out
    }

    /// CSV: one row per anomaly, every column filled, machine names beside the labels; UTF-8 with
    /// a byte-order mark, CRLF.
    static func csv(_ d: Digest, language: ReportLanguage = .zh) -> String {
        let s = ReportStrings(language)
        var out = "\u{FEFF}" + BulletinCSVRenderer.line([
            s["col.unit"], s["col.person"], s["col.name"], s["col.date"], s["col.shift"], s["col.kind"], "kind",
            s["col.minutes"], s["col.severity"], "severity", s["col.review"], "review", "leave_excused", "leave_reason",
            s["col.note"], s["col.evidence"], s["col.id"],
        ])
        for u in d.units {
            for p in u.people {
                for e in p.entries {
                    out += BulletinCSVRenderer.line([
                        u.unit.description, p.person, p.name, e.date.description, e.shift, s.kind(e.kind, duty: e.duty),
                        e.kind.rawValue, "\(e.minutes)", s.severity(e.severity), e.severity.rawValue, s.review(e.review),
                        e.review.rawValue, e.leaveExcused ? "true" : "false", e.leaveReason ?? "", e.reviewNote ?? "",
                        e.evidence.map { "\($0.time) @\($0.reader)" }.joined(separator: "; "), e.id,
                    ])
                }
            }
        }
        return out
    }
}
