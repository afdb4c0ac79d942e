import Foundation
import Shared

/// The bulletin as Markdown: the same sentences and figures as the HTML page, without charts
/// (units are named by their full path).
enum BulletinMarkdownRenderer {
    static func render(_ b: Bulletin, language: Language = .zh) -> String {
        let p = BulletinProse(b, language)
        let s = p.s
        let m = ReportText.markdown
        var out = "# \(m(p.title))\n\n**\(m(b.organization))**　\(m(b.documentNumber))\n\n"
        out += "\(m(p.addressee))\n\n\(m(p.opening))\n\n"

        out += "## \(s["section.overview"])\n\n**\(p.overviewCaption)**\n\n"
        // A rate over no verified person-day is no rate: "—", not 0.00.
        let rated = { (u: BulletinUnit, x: Double) in u.judged > 0 ? ReportText.rate(x) : "—" }
        var rows: [[String]] = b.totals.kinds.map { k in
            [s.kind(k.kind), "\(k.count)", "\(k.minutes)", rated(b.totals, k.rate),
             k.previousRate.map(ReportText.rate) ?? "—", ReportText.change(k.change)]
        }
        let t = b.totals
        rows.append([s["col.total"], "\(t.charged)", "\(t.kinds.reduce(0) { $0 + $1.minutes })", rated(t, t.score),
                     t.previousScore.map(ReportText.rate) ?? "—", ReportText.change(t.scoreChange)])
        out += table([s["col.kind"], s["col.count"], s["col.minutes"], s["col.rate"], s["col.previous"], s["col.change"]],
                     rows, numeric: [1, 2, 3, 4, 5])

        out += "## \(s["section.units"])\n\n\(m(p.ranking))\n\n"
        if !b.ranking.isEmpty {
            out += table([s["col.rank"], s["col.unit"], s["col.scheduled"], s["col.total"], s["col.score"], s["col.previous"],
                          s["col.change"]],
                         b.ranking.map { r in
                             ["\(r.rank)", r.unit.description, "\(r.scheduled)", "\(r.charged)", ReportText.rate(r.score),
                              r.previousScore.map(ReportText.rate) ?? "—", ReportText.change(r.scoreChange)]
                         }, numeric: [0, 2, 3, 4, 5, 6])
        }
        var lines = b.units
        if t.depth < 0 { lines.append(t) }
        let unitName = { (u: BulletinUnit) in u.depth < 0 ? s["col.total"] : u.unit.description }
        out += "**\(s["table.units"])**\n\n"
        out += table([s["col.unit"], s["col.scheduled"], s["col.present"], s["col.excused"], s["col.unverified"],
                      s.kind(.late), s.kind(.earlyLeave), s.kind(.absent), s.kind(.missingIn), s.kind(.missingOut), s.kind(.offPost),
                      s["col.minutesLate"], s["col.minutesAway"]],
                     lines.map { u in
                         [unitName(u), "\(u.scheduled)", "\(u.present)", "\(u.excused)", "\(u.unverified)",
                          "\(u.line(.late).count)", "\(u.line(.earlyLeave).count)", "\(u.line(.absent).count)",
                          "\(u.line(.missingIn).count)", "\(u.line(.missingOut).count)", "\(u.line(.offPost).count)",
                          "\(u.minutesLate)", "\(u.minutesAway)"]
                     }, numeric: Array(1...12))
        out += "**\(s["table.rates"])**\n\n"
        out += table([s["col.unit"], s.kind(.late), s.kind(.earlyLeave), s.kind(.absent), s.kind(.missingIn), s.kind(.missingOut),
                      s.kind(.offPost), s["col.total"], s["col.previous"], s["col.change"], s["col.rank"]],
                     lines.map { u in
                         return [unitName(u), rated(u, u.line(.late).rate), rated(u, u.line(.earlyLeave).rate),
                                 rated(u, u.line(.absent).rate), rated(u, u.line(.missingIn).rate),
                                 rated(u, u.line(.missingOut).rate),
                                 rated(u, u.line(.offPost).rate), rated(u, u.score),
                                 u.previousScore.map(ReportText.rate) ?? "—", ReportText.change(u.scoreChange),
                                 u.rank.map(String.init) ?? "—"]
                     }, numeric: Array(1...10))

        out += "## \(m(p.repeatHeading))\n\n\(m(p.repeatIntro))\n\n"
        if !b.repeatCases.isEmpty {
            out += table([s["col.no"], s["col.name"], s["col.person"], s["col.unit"], s.kind(.late), s.kind(.earlyLeave),
                          s.kind(.absent), s.kind(.offPost), s["col.minutesLate"], s["col.minutesAway"], s["col.reasons"]],
                         b.repeatCases.enumerated().map { i, c in
                             ["\(i + 1)", c.name, c.person, c.unit.description, "\(c.late)", "\(c.earlyLeave)", "\(c.absent)",
                              "\(c.offPost)", "\(c.minutesLate)", "\(c.minutesAway)", p.reasons(c)]
                         }, numeric: [0, 4, 5, 6, 7, 8, 9])
        }
        out += "## \(s["section.serious"])\n\n\(m(p.seriousIntro))\n\n"
        if !b.seriousCases.isEmpty {
            out += table([s["col.no"], s["col.date"], s["col.name"], s["col.person"], s["col.unit"], s["col.shift"],
                          s["col.kind"], s["col.minutes"], s["col.severity"], s["col.review"]],
                         b.seriousCases.enumerated().map { i, c in
                             ["\(i + 1)", c.date.description, c.name, c.person, c.unit.description, c.shiftLabel, s.kind(c.kind),
                              "\(c.minutes)", s.severity(c.severity), p.review(c)]
                         }, numeric: [0, 7])
        }
        out += "## \(s["section.completeness"])\n\n\(m(p.completenessIntro))\n\n"
        if !b.completeness.isEmpty {
            out += table([s["col.agent"], s["col.agentUnits"], s["col.expected"], s["col.received"], s["col.percent"],
                          s["col.missing"]],
                         b.completeness.map { c in
                             [c.revoked ? "\(c.agent)（\(s["revoked"])）" : c.agent,
                              c.units.map(\.description).joined(separator: ", "), "\(c.expectedDays)", "\(c.receivedDays)",
                              ReportText.percent(c.percent), c.missing.isEmpty ? s["none"] : p.days(c.missing)]
                         }, numeric: [2, 3, 4])
        }
        out += "\(m(p.closing))\n\n\(m(p.sign))\n\n"
        out += "\(m(p.office))  \n\(s.date(b.issuedOn))\n\n---\n\n"
        out += m(BulletinHTMLRenderer.colophon(b, s)) + "\n"
        return out
    }

    /// A Markdown table; `numeric` columns are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: [Int] = []) -> String {
        let cells = { (r: [String]) in "| " + r.map(ReportText.markdown).joined(separator: " | ") + " |\n" }
        var out = cells(header)
        out += "|" + header.indices.map { numeric.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for r in rows { out += cells(r) }
        return out + "\n"
    }
}
