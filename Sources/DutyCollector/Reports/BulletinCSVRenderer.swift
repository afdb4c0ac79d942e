import Foundation
import Shared

/// The bulletin as CSV for spreadsheets: one table per section, each starting with a title row
/// `# <section>` in the chosen language (基本信息, 总体情况, 审核情况, 各单位, 重点关注人员, 严重及特别严重异常, 数据完整性;
/// or meta, overview, review, units, people listed, serious cases, completeness), then a header row, then the
/// data rows; a blank line between sections. UTF-8 with a byte-order mark so that Excel reads
/// Chinese correctly; CRLF line ends (RFC 4180). Units are full paths; kinds, severities and review
/// states are the labels of `Vocabulary`, with no machine code beside them (`--format json` is the
/// machine's format); rates and changes are plain numbers with two decimals (a change is negative
/// when the rate fell).
enum BulletinCSVRenderer {
    static func render(_ b: Bulletin, language: Language = .zh) -> String {
        let p = BulletinProse(b, language)
        let s = p.s
        var out = "\u{FEFF}"
        let zh = language == .zh
        let names = ["meta": ("基本信息", "meta"), "overview": ("总体情况", "overview"), "units": ("各单位", "units"),
                     "repeat_cases": ("重点关注人员", "people listed"), "serious_cases": ("严重及特别严重异常", "serious cases"),
                     "completeness": ("数据完整性", "completeness"), "review": ("审核情况", "review")]
        func section(_ key: String, _ header: [String], _ rows: [[String]]) {
            let name = names[key].map { zh ? $0.0 : $0.1 } ?? key
            out += "# \(name)\r\n" + line(header)
            for r in rows { out += line(r) }
            out += "\r\n"
        }
        let meta: [(String, String, String)] = [
            ("标题", "title", p.title), ("月份", "month", b.month.description), ("范围", "scope", b.scope?.description ?? ""),
            ("发文单位", "organization", b.organization), ("署名", "office", p.office),
            ("文号", "document number", b.documentNumber), ("印发日期", "issued on", b.issuedOn.description),
            ("起", "from", b.from.description), ("止", "to", b.to.description),
        ]
        section("meta", zh ? ["项目", "内容"] : ["key", "value"], meta.map { [zh ? $0.0 : $0.1, $0.2] })
        let t = b.totals
        section("overview", [s["col.kind"], s["col.count"], s["col.minutes"], s["col.rate"], s["col.previous"],
                             s["col.change"]],
                t.kinds.map { k in
                    [s.kind(k.kind), "\(k.count)", "\(k.minutes)", ReportText.rate(k.rate),
                     k.previousRate.map(ReportText.rate) ?? "", k.change.map(ReportText.rate) ?? ""]
                } + [[s["col.total"], "\(t.charged)", "\(t.kinds.reduce(0) { $0 + $1.minutes })",
                      ReportText.rate(t.score), t.previousScore.map(ReportText.rate) ?? "",
                      t.scoreChange.map(ReportText.rate) ?? ""]])
        // The review counts, as the prose of the HTML and Markdown states them (限时办结 when known).
        let r = b.review
        var reviewRows: [(String, String, Int)] = [
            ("待审核", "open", r.open), ("已确认", "confirmed", r.confirmed), ("人事豁免", "excused by HR", r.excused - r.leaveExcused),
            ("请假豁免", "excused by leave", r.leaveExcused),
        ]
        if let overdue = r.overdue, let days = r.reviewDays {
            reviewRows.append(("超期未办（\(days)个工作日）", "overdue (\(days) working days)", overdue))
        }
        section("review", zh ? ["项目", "条数"] : ["key", "count"], reviewRows.map { [zh ? $0.0 : $0.1, "\($0.2)"] })
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
                                 s["col.reasons"]],
                b.repeatCases.map { c in
                    [c.name, c.person, c.unit.description, "\(c.late)", "\(c.earlyLeave)", "\(c.absent)", "\(c.offPost)",
                     "\(c.minutesLate)", "\(c.minutesAway)", p.reasons(c)]
                })
        section("serious_cases", [s["col.date"], s["col.name"], s["col.person"], s["col.unit"], s["col.shift"], s["col.kind"],
                                  s["col.minutes"], s["col.severity"], s["col.review"], s["col.note"], s["col.id"]],
                b.seriousCases.map { c in
                    [c.date.description, c.name, c.person, c.unit.description, c.shiftLabel, s.kind(c.kind),
                     "\(c.minutes)", s.severity(c.severity), s.review(c.review), c.reviewNote ?? "", c.id]
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
