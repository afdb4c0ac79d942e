import Foundation
import Shared

/// The bulletin as one self-contained, printable HTML page laid out like an official notice:
/// red header, 文号, title, addressee, the five numbered sections with tables and inline SVG charts,
/// closing, issuing office and date. No scripts, no external resources; every text is escaped.
enum BulletinHTMLRenderer {
    /// The whole page.
    static func render(_ b: Bulletin, language: Language = .zh) -> String {
        let p = BulletinProse(b, language)
        let s = p.s
        let e = ReportText.html
        var h = "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(e(p.title))</title>\n<style>\n\(BulletinHTMLStyle.css)\n</style>\n</head>\n<body>\n<main class=\"page\">\n"
        h += "<header class=\"redhead\">\n<div class=\"issuer\">\(e(b.organization))</div>\n"
        h += "<div class=\"docno\">\(e(b.documentNumber))</div>\n<div class=\"redline\"></div>\n</header>\n"
        h += "<h1>\(e(p.title))</h1>\n"
        h += "<p class=\"addressee\">\(e(p.addressee))</p>\n<p class=\"para\">\(e(p.opening))</p>\n"

        h += "<h2>\(e(s["section.overview"]))</h2>\n"
        h += overviewTable(b, s)
        h += "<h2>\(e(s["section.units"]))</h2>\n<p class=\"para\">\(e(p.ranking))</p>\n"
        let ranked = b.ranking.prefix(chartLimit).compactMap { r in b.units.first { $0.unit == r.unit } }
        if !ranked.isEmpty {
            var more = ""
            if b.ranking.count > chartLimit {
                more = language == .zh ? "（排名前\(chartLimit)的单位，共\(b.ranking.count)个）"
                                       : " (the \(chartLimit) highest of \(b.ranking.count) units)"
            }
            h += "<figure>\n\(BulletinCharts.rates(ranked, s))\n<figcaption>\(e(s["chart.rates"] + more))</figcaption>\n</figure>\n"
            h += "<figure>\n\(BulletinCharts.monthOnMonth(ranked, s))\n<figcaption>\(e(s["chart.mom"] + more))</figcaption>\n</figure>\n"
        }
        h += unitsTable(b, s) + ratesTable(b, s)
        h += "<p class=\"note\">\(e(language == .zh ? "注：排名为在同级单位中的排名，按每百人日异常次数由高到低排列；环比为本月与上月每百人日异常次数之差，“—”表示上月无排班数据。" : "Rank is among units of the same level, by anomalies per 100 person-days, highest first; change is this month's rate less last month's; “—” means nothing was scheduled last month."))</p>\n"

        h += "<h2>\(e(p.repeatHeading))</h2>\n<p class=\"para\">\(e(p.repeatIntro))</p>\n" + repeatTable(b, p)
        h += "<h2>\(e(s["section.serious"]))</h2>\n<p class=\"para\">\(e(p.seriousIntro))</p>\n" + seriousTable(b, p)
        h += "<h2>\(e(s["section.completeness"]))</h2>\n<p class=\"para\">\(e(p.completenessIntro))</p>\n" + completenessTable(b, p)

        h += "<p class=\"para\">\(e(p.closing))</p>\n<p class=\"para sign\">\(e(p.sign))</p>\n"
        h += "<div class=\"signature\">\n<div>\(e(p.office))</div>\n<div>\(e(s.date(b.issuedOn)))</div>\n</div>\n"
        h += "<div class=\"colophon\">\(e(colophon(b, s)))</div>\n"
        return h + "</main>\n</body>\n</html>\n"
    }

    /// The charts show at most this many ranked units (the tables list them all).
    static let chartLimit = 25

    /// The note at the foot: period, how the rate is computed, where the data comes from.
    static func colophon(_ b: Bulletin, _ s: ReportStrings) -> String {
        if s.language == .zh {
            return "统计期间：\(s.date(b.from))至\(s.date(b.to))。每百人日异常次数＝计入的异常次数÷核实人日×100，核实人日为排班人日减去未能核实的人日（无考勤数据的日期不作判定，不计入比率）；请假及经人事部门豁免的记录不计入统计，待审核的按系统比对结果计入。本通报依据各考勤采集端报送的数据由DutyWatch考勤系统生成。"
        }
        return "Period: \(s.date(b.from)) to \(s.date(b.to)). Anomalies per 100 person-days = charged anomalies ÷ verified person-days × 100, verified person-days being the scheduled ones less those that could not be verified (dates without data are not judged and left out of every rate); records covered by leave or excused by HR are not counted, those awaiting review count as the system found them. Compiled by DutyWatch from the data the attendance agents sent."
    }

    /// A table row of cells (already escaped), with a class for the row.
    static func row(_ cells: [String], rowClass: String? = nil) -> String {
        "<tr\(rowClass.map { " class=\"\($0)\"" } ?? "")>" + cells.joined() + "</tr>\n"
    }

    /// A header row.
    static func head(_ labels: [String]) -> String {
        "<thead><tr>" + labels.map { "<th>\(ReportText.html($0))</th>" }.joined() + "</tr></thead>\n"
    }

    /// A text cell.
    static func text(_ s: String, _ cls: String? = nil) -> String {
        "<td\(cls.map { " class=\"\($0)\"" } ?? "")>\(ReportText.html(s))</td>"
    }

    /// A number cell, grey when zero.
    static func num(_ v: Int) -> String { v == 0 ? "<td class=\"n z\">0</td>" : "<td class=\"n\">\(v)</td>" }

    /// A rate cell.
    static func rate(_ v: Double) -> String {
        v == 0 ? "<td class=\"n z\">0.00</td>" : "<td class=\"n\">\(ReportText.rate(v))</td>"
    }

    /// A month-on-month change cell: red when worse, green when better.
    static func change(_ v: Double?) -> String {
        let t = ReportText.change(v)
        let cls = t.hasPrefix("+") ? "n up" : t.hasPrefix("-") ? "n down" : "n"
        return "<td class=\"\(cls)\">\(t)</td>"
    }

    /// A unit's name indented by its depth, its full path as a tooltip.
    static func unitCell(_ u: BulletinUnit) -> String {
        let name = u.unit.components.last ?? u.unit.description
        let indent = String(repeating: "\u{3000}", count: max(0, u.depth))
        return "<td title=\"\(ReportText.html(u.unit.description))\">\(indent)\(ReportText.html(name))</td>"
    }

    /// A person's unit as a path below the organisation's top unit.
    static func personUnit(_ unit: UnitPath, _ b: Bulletin) -> String {
        let drop = b.totals.depth == 0 ? max(0, b.totals.unit.components.count - (b.scope == nil ? 0 : 1)) : 0
        let rest = unit.components.dropFirst(min(drop, unit.components.count - 1))
        return rest.joined(separator: "/")
    }
}
