import Foundation
import Shared

extension BulletinHTMLRenderer {
    /// Table 1: the scope's anomalies by kind, with last month's rate and the change.
    static func overviewTable(_ b: Bulletin, _ s: ReportStrings) -> String {
        let t = b.totals
        var h = "<table>\n<caption>\(ReportText.html(BulletinProse(b, s.language).overviewCaption))</caption>\n"
        h += head([s["col.kind"], s["col.count"], s["col.minutes"], s["col.rate"], s["col.previous"], s["col.change"]])
        h += "<tbody>\n"
        let rated = { (u: BulletinUnit, x: Double) in u.judged > 0 ? rate(x) : "<td class=\"n\">—</td>" }
        for k in t.kinds {
            h += row([text(s.kind(k.kind)), num(k.count), num(k.minutes), rated(t, k.rate),
                      k.previousRate.map(rate) ?? "<td class=\"n\">—</td>", change(k.change)])
        }
        let minutes = t.kinds.reduce(0) { $0 + $1.minutes }
        h += row([text(s["col.total"]), num(t.charged), num(minutes), rated(t, t.score),
                  t.previousScore.map(rate) ?? "<td class=\"n\">—</td>", change(t.scoreChange)], rowClass: "top")
        return h + "</tbody>\n</table>\n"
    }

    /// Table 2: per unit, person-days and the count of every kind with minutes.
    static func unitsTable(_ b: Bulletin, _ s: ReportStrings) -> String {
        var h = "<table>\n<caption>\(ReportText.html(s["table.units"]))</caption>\n"
        h += head([s["col.unit"], s["col.scheduled"], s["col.present"], s["col.excused"], s["col.unverified"],
                   s.kind(.late), s.kind(.earlyLeave), s.kind(.absent), s.kind(.missingIn), s.kind(.missingOut), s.kind(.offPost),
                   s["col.minutesLate"], s["col.minutesAway"]])
        h += "<tbody>\n"
        var lines = b.units
        if b.totals.depth < 0 { lines.append(b.totals) }
        for u in lines {
            let first = u.depth <= 0 ? unitCellOrTotal(u, s) : unitCell(u)
            h += row([first, num(u.scheduled), num(u.present), num(u.excused), num(u.unverified),
                      num(u.line(.late).count), num(u.line(.earlyLeave).count), num(u.line(.absent).count),
                      num(u.line(.missingIn).count), num(u.line(.missingOut).count), num(u.line(.offPost).count),
                      num(u.minutesLate), num(u.minutesAway)], rowClass: u.depth <= 0 ? "top" : nil)
        }
        return h + "</tbody>\n</table>\n"
    }

    /// Table 3: per unit, the rate of every kind, the score, last month's and the rank.
    static func ratesTable(_ b: Bulletin, _ s: ReportStrings) -> String {
        var h = "<table>\n<caption>\(ReportText.html(s["table.rates"]))</caption>\n"
        h += head([s["col.unit"], s.kind(.late), s.kind(.earlyLeave), s.kind(.absent), s.kind(.missingIn), s.kind(.missingOut),
                   s.kind(.offPost), s["col.total"], s["col.previous"], s["col.change"], s["col.rank"]])
        h += "<tbody>\n"
        var lines = b.units
        if b.totals.depth < 0 { lines.append(b.totals) }
        for u in lines {
            let first = u.depth <= 0 ? unitCellOrTotal(u, s) : unitCell(u)
            let rated = { (x: Double) in u.judged > 0 ? rate(x) : "<td class=\"n\">—</td>" }
            h += row([first, rated(u.line(.late).rate), rated(u.line(.earlyLeave).rate), rated(u.line(.absent).rate),
                      rated(u.line(.missingIn).rate), rated(u.line(.missingOut).rate), rated(u.line(.offPost).rate), rated(u.score),
                      u.previousScore.map(rate) ?? "<td class=\"n\">—</td>", change(u.scoreChange),
                      "<td class=\"c\">\(u.rank.map(String.init) ?? "—")</td>"], rowClass: u.depth <= 0 ? "top" : nil)
        }
        return h + "</tbody>\n</table>\n"
    }

    /// The first cell of a top row: the unit, or 合计 for a sum of several top units.
    static func unitCellOrTotal(_ u: BulletinUnit, _ s: ReportStrings) -> String {
        u.depth < 0 ? text(s["col.total"]) : unitCell(u)
    }

    /// Section 3's table.
    static func repeatTable(_ b: Bulletin, _ p: BulletinProse) -> String {
        guard !b.repeatCases.isEmpty else { return "" }
        let s = p.s
        var h = "<table>\n" + head([s["col.no"], s["col.name"], s["col.person"], s["col.unit"], s.kind(.late),
                                    s.kind(.earlyLeave), s.kind(.absent), s.kind(.offPost), s["col.minutesLate"],
                                    s["col.minutesAway"], s["col.reasons"]])
        h += "<tbody>\n"
        for (i, c) in b.repeatCases.enumerated() {
            h += row(["<td class=\"c\">\(i + 1)</td>", text(c.name, "c"), text(c.person, "c"), text(personUnit(c.unit, b)),
                      num(c.late), num(c.earlyLeave), num(c.absent), num(c.offPost), num(c.minutesLate),
                      num(c.minutesAway), text(p.reasons(c))])
        }
        return h + "</tbody>\n</table>\n"
    }

    /// Section 4's table; HR-excused cases stay, greyed and marked.
    static func seriousTable(_ b: Bulletin, _ p: BulletinProse) -> String {
        guard !b.seriousCases.isEmpty else { return "" }
        let s = p.s
        var h = "<table>\n" + head([s["col.no"], s["col.date"], s["col.name"], s["col.person"], s["col.unit"],
                                    s["col.shift"], s["col.kind"], s["col.minutes"], s["col.severity"], s["col.review"]])
        h += "<tbody>\n"
        for (i, c) in b.seriousCases.enumerated() {
            h += row(["<td class=\"c\">\(i + 1)</td>", text(shortDate(c.date, s), "c"), text(c.name, "c"),
                      text(c.person, "c"), text(personUnit(c.unit, b)), text(c.shiftLabel, "c"), text(s.kind(c.kind), "c"),
                      num(c.minutes), text(s.severity(c.severity), "c"), text(p.review(c))],
                     rowClass: c.review == .excused ? "excused" : nil)
        }
        return h + "</tbody>\n</table>\n"
    }

    /// Section 5's table.
    static func completenessTable(_ b: Bulletin, _ p: BulletinProse) -> String {
        guard !b.completeness.isEmpty else { return "" }
        let s = p.s
        var h = "<table>\n" + head([s["col.agent"], s["col.agentUnits"], s["col.expected"], s["col.received"],
                                    s["col.percent"], s["col.missing"]])
        h += "<tbody>\n"
        for c in b.completeness {
            let agent = c.revoked ? "\(c.agent)（\(s["revoked"])）" : c.agent
            h += row([text(agent), text(c.units.map { personUnit($0, b) }.joined(separator: s.language == .zh ? "、" : ", ")), num(c.expectedDays),
                      num(c.receivedDays), "<td class=\"n\">\(ReportText.percent(c.percent))</td>",
                      text(c.missing.isEmpty ? s["none"] : p.days(c.missing))])
        }
        return h + "</tbody>\n</table>\n"
    }

    /// `11月3日` or `3 Nov`.
    static func shortDate(_ d: CivilDate, _ s: ReportStrings) -> String {
        let (_, m, day) = d.components
        return s.language == .zh ? "\(m)月\(day)日" : "\(day) \(ReportStrings.months[m - 1].prefix(3))"
    }
}
