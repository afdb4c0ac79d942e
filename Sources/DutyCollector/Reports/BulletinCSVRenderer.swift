import Foundation
import Shared

/// The bulletin as CSV for spreadsheets: one table per section, each starting with a title row
/// `# <section>` (`meta`, `overview`, `units`, `repeat_cases`, `serious_cases`, `completeness`),
/// then a header row in the chosen language, then the data rows; a blank line between sections.
/// UTF-8 with a byte-order mark so that Excel reads Chinese correctly; CRLF line ends (RFC 4180).
/// Units are full paths; kinds appear both as label and machine name; rates and changes are plain
/// numbers with two decimals (a change is negative when the rate fell).
enum BulletinCSVRenderer {
    static func render(_ b: Bulletin, language: ReportLanguage = .zh) -> String {
        let p = BulletinProse(b, language)
        let s = p.s
        var out = "\u{FEFF}"
        func section(_ name: String, _ header: [String], _ rows: [[String]]) {
            out += "# \(name)\r\n" + line(header)
            for r in rows { out += line(r) }
            out += "\r\n"
        }
        section("meta", ["key", language == .zh ? "内容" : "value"], [
            ["title", p.title], ["month", b.month.description], ["scope", b.scope?.description ?? ""],
            ["organization", b.organization], ["office", p.office], ["document_number", b.documentNumber],
            ["issued_on", b.issuedOn.description], ["from", b.from.description], ["to", b.to.description],
        ])
        let t = b.totals
        section("overview", [s["col.kind"], "kind", s["col.count"], s["col.minutes"], s["col.rate"], s["col.previous"],
                             s["col.change"]],
                t.kinds.map { k in
                    [s.kind(k.kind), k.kind.rawValue, "\(k.count)", "\(k.minutes)", ReportText.rate(k.rate),
                     k.previousRate.map(ReportText.rate) ?? "", k.change.map(ReportText.rate) ?? ""]
                } + [[s["col.total"], "total", "\(t.charged)", "\(t.kinds.reduce(0) { $0 + $1.minutes })",
                      ReportText.rate(t.score), t.previousScore.map(ReportText.rate) ?? "",
                      t.scoreChange.map(ReportText.rate) ?? ""]])
        var unitHeader = [s["col.unit"], s["col.scheduled"], s["col.present"], s["col.excused"], s["col.unverified"]]
        for k in AnomalyKind.allCases {
            let of = { (col: String) in language == .zh ? s.kind(k) + s[col] : "\(s.kind(k)): \(s[col].lowercased())" }
            unitHeader += [of("col.count"), of("col.minutes"), of("col.rate")]
        }
        unitHeader += [s["col.total"], s["col.score"], s["col.previous"], s["col.change"], s["col.rank"],
                       s["col.minutesLate"], s["col.minutesAway"]]
        var lines = b.units
        if t.depth < 0 { lines.append(t) }
        section("units", unitHeader, lines.map { u in
            var r = [u.depth < 0 ? s["col.total"] : u.unit.description, "\(u.scheduled)", "\(u.present)", "\(u.excused)",
                     "\(u.unverified)"]
            for k in u.kinds { r += ["\(k.count)", "\(k.minutes)", ReportText.rate(k.rate)] }
            r += ["\(u.charged)", ReportText.rate(u.score), u.previousScore.map(ReportText.rate) ?? "",
                  u.scoreChange.map(ReportText.rate) ?? "", u.rank.map(String.init) ?? "", "\(u.minutesLate)",
                  "\(u.minutesAway)"]
            return r
        })
        section("repeat_cases", [s["col.name"], s["col.person"], s["col.unit"], s.kind(.late), s.kind(.earlyLeave),
                                 s.kind(.absent), s.kind(.offPost), s["col.minutesLate"], s["col.minutesAway"],
                                 s["col.reasons"], "reasons"],
                b.repeatCases.map { c in
                    [c.name, c.person, c.unit.description, "\(c.late)", "\(c.earlyLeave)", "\(c.absent)", "\(c.offPost)",
                     "\(c.minutesLate)", "\(c.minutesAway)", p.reasons(c), c.reasons.joined(separator: " ")]
                })
        section("serious_cases", [s["col.date"], s["col.name"], s["col.person"], s["col.unit"], s["col.kind"], "kind",
                                  s["col.minutes"], s["col.severity"], s["col.review"], "review", s["col.note"], s["col.id"]],
                b.seriousCases.map { c in
                    [c.date.description, c.name, c.person, c.unit.description, s.kind(c.kind, duty: c.duty), c.kind.rawValue,
                     "\(c.minutes)", s.severity(c.severity), s.review(c.review), c.review.rawValue, c.reviewNote ?? "", c.id]
                })
        section("completeness", [s["col.agent"], s["col.agentUnits"], s["col.expected"], s["col.received"],
                                 s["col.percent"], s["col.missing"]],
                b.completeness.map { c in
                    [c.agent, c.units.map(\.description).joined(separator: " "), "\(c.expectedDays)", "\(c.receivedDays)",
                     ReportText.percent(c.percent), c.missing.map(\.description).joined(separator: " ")]
                })
        return out
    }

    /// One CSV record.
    static func line(_ cells: [String]) -> String {
        cells.map(ReportText.csv).joined(separator: ",") + "\r\n"
    }
}
