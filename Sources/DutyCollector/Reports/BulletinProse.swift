import Foundation
import Shared

/// The sentences of the bulletin, built from its figures in Chinese or English; the HTML and
/// Markdown renderers print the same ones.
struct BulletinProse: Sendable {
    var b: Bulletin
    var s: ReportStrings

    init(_ bulletin: Bulletin, _ language: ReportLanguage) {
        b = bulletin
        s = ReportStrings(language)
    }

    private var zh: Bool { s.language == .zh }

    /// 关于2026年11月考勤及值班情况的通报.
    var title: String {
        zh ? "关于\(s.month(b.month))考勤及值班情况的通报" : "Bulletin on Attendance and Duty, \(s.month(b.month))"
    }

    /// The signing office.
    var office: String { b.office ?? (zh ? "\(b.organization)办公室" : "General Office, \(b.organization)") }

    /// What the figures cover: 全局, the scope unit's name, or all units.
    var scopeName: String {
        if let scope = b.scope { return scope.components.last ?? scope.description }
        if b.totals.depth == 0 { return zh ? "全局" : "the bureau" }
        return zh ? "各单位" : "all units"
    }

    /// 各科室、各直属单位：
    var addressee: String {
        if let scope = b.scope { return zh ? "\(scope.components.last ?? "")各部门：" : "To all teams of \(scope):" }
        return zh ? "各科室、各直属单位：" : "To all departments and units:"
    }

    /// Table 1's caption, naming the scope.
    var overviewCaption: String {
        zh ? "表1　\(scopeName)异常情况分类统计" : "Table 1. Anomalies by kind" + (b.scope == nil ? "" : ", \(scopeName)")
    }

    /// The last day the figures cover when the month is not over.
    var through: CivilDate? { b.issuedOn <= b.month.last ? b.issuedOn.adding(days: -1) : nil }

    /// The opening paragraph with the month's totals.
    var opening: String {
        let t = b.totals
        let c = { (k: AnomalyKind) in t.line(k).count }
        let missing = c(.missingIn) + c(.missingOut)
        if zh {
            var p = "\(s.month(b.month))"
            if let through { p += "（统计截至\(through.month)月\(through.components.day)日）" }
            p += "，\(scopeName)共排班\(t.scheduled)人日，实到\(t.present)人日，请假\(t.excused)人日"
            p += t.unverified > 0 ? "，未能核验\(t.unverified)人日。" : "。"
            if t.charged == 0 { return p + "经考勤系统比对、人事部门审核，本月未发现考勤异常。现将有关情况通报如下：" }
            var parts: [String] = []
            let lateEarly = [(c(.late), "迟到"), (c(.earlyLeave), "早退")].filter { $0.0 > 0 }.map { "\($0.1)\($0.0)人次" }
            if !lateEarly.isEmpty { parts.append(lateEarly.joined(separator: "、") + "，累计\(t.minutesLate)分钟") }
            if c(.absent) > 0 { parts.append("旷工\(c(.absent))人次") }
            if missing > 0 { parts.append("缺卡\(missing)人次") }
            if c(.offPost) > 0 { parts.append("脱岗\(c(.offPost))人次，累计离岗\(t.minutesAway)分钟") }
            p += "经考勤系统比对、人事部门审核，本月共发生" + parts.joined(separator: "；") + "。"
            p += "合计每百人日异常\(ReportText.rate(t.score))次"
            p += trend(t.scoreChange, previous: t.previousScore) + "。现将有关情况通报如下："
            return p
        }
        var p = "In \(s.month(b.month))"
        if let through { p += " (up to \(s.date(through)))" }
        p += ", \(scopeName) had \(t.scheduled) scheduled person-days: \(t.present) present, \(t.excused) on leave"
        p += t.unverified > 0 ? ", \(t.unverified) not verified. " : ". "
        if t.charged == 0 { return p + "Checked by the attendance system and reviewed by HR, the month shows no anomalies. The details follow." }
        var parts: [String] = []
        let lateEarly = [(c(.late), "late arrival"), (c(.earlyLeave), "early leave")].filter { $0.0 > 0 }.map { n($0.0, $0.1) }
        if !lateEarly.isEmpty { parts.append(lateEarly.joined(separator: " and ") + " (\(t.minutesLate) minutes in all)") }
        if c(.absent) > 0 { parts.append(n(c(.absent), "absence")) }
        if missing > 0 { parts.append(n(missing, "missing punch", "missing punches")) }
        if c(.offPost) > 0 { parts.append(n(c(.offPost), "case") + " off post (\(t.minutesAway) minutes away)") }
        let list = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
        p += "Checked by the attendance system and reviewed by HR, the month counts \(list): "
        p += "\(ReportText.rate(t.score)) anomalies per 100 person-days"
        return p + trend(t.scoreChange, previous: t.previousScore) + ". The details follow."
    }

    /// `，较上月上升0.42次` or `, up 0.42 on last month`.
    func trend(_ change: Double?, previous: Double?) -> String {
        guard let change, let previous else { return zh ? "（上月无可比数据）" : " (no figures for last month)" }
        let amount = ReportText.rate(abs(change))
        if amount == "0.00" { return zh ? "，与上月持平" : ", level with last month" }
        if zh { return "，较上月\(change > 0 ? "上升" : "下降")\(amount)次（上月\(ReportText.rate(previous))次）" }
        return ", \(change > 0 ? "up" : "down") \(amount) on last month (\(ReportText.rate(previous)))"
    }

    /// The units section's sentence: who ranks first and last, who rose and fell most.
    var ranking: String {
        let r = b.ranking
        guard !r.isEmpty else { return zh ? "本月各单位均无排班数据。" : "No unit had anyone scheduled this month." }
        let name = { (u: RankedUnit) in u.unit.components.last ?? u.unit.description }
        let top = r.prefix(3).map { zh ? "\(name($0))（\(ReportText.rate($0.score))次）" : "\(name($0)) (\(ReportText.rate($0.score)))" }
        var p: String
        if zh {
            p = "按每百人日异常次数排序，\(top.joined(separator: "、"))居前"
            if r.count > 3, let last = r.last { p += "；\(name(last))最少（\(ReportText.rate(last.score))次）" }
        } else {
            p = "Ranked by anomalies per 100 person-days, \(top.joined(separator: ", ")) come first"
            if r.count > 3, let last = r.last { p += "; \(name(last)) has the fewest (\(ReportText.rate(last.score)))" }
        }
        let changes = r.filter { $0.scoreChange != nil }
        if let up = changes.max(by: { $0.scoreChange! < $1.scoreChange! }), up.scoreChange! > 0.005 {
            p += zh ? "。环比上升最多的是\(name(up))（\(ReportText.change(up.scoreChange))）"
                    : ". The largest rise is \(name(up)) (\(ReportText.change(up.scoreChange)))"
        }
        if let down = changes.min(by: { $0.scoreChange! < $1.scoreChange! }), down.scoreChange! < -0.005 {
            p += zh ? "，下降最多的是\(name(down))（\(ReportText.change(down.scoreChange))）"
                    : "; the largest fall is \(name(down)) (\(ReportText.change(down.scoreChange)))"
        }
        return p + (zh ? "。" : ".")
    }

    /// The rule that makes a repeat case, as a clause.
    var repeatRule: String {
        let st = b.settings
        if zh {
            let a = st.repeatAbsent == 1 ? "有旷工情形" : "旷工累计\(st.repeatAbsent)次及以上"
            let o = st.repeatOffPost == 1 ? "有脱岗情形" : "脱岗累计\(st.repeatOffPost)次及以上"
            return "迟到、早退累计\(st.repeatLateEarly)次及以上，或\(a)，或\(o)"
        }
        let a = st.repeatAbsent == 1 ? "any absence" : "\(st.repeatAbsent) or more absences"
        let o = st.repeatOffPost == 1 ? "any time off post" : "\(st.repeatOffPost) or more cases off post"
        return "\(st.repeatLateEarly) or more late arrivals and early leaves together, \(a), or \(o)"
    }

    /// The repeat-cases section's opening sentence.
    var repeatIntro: String {
        let n = b.repeatCases.count
        if zh {
            return n == 0 ? "按照本月\(repeatRule)的认定标准，本月无人员列入重复违规。"
                          : "按照本月\(repeatRule)的认定标准，本月共有\(n)名人员列入重复违规，名单如下："
        }
        return n == 0 ? "Nobody met the repeat criteria this month (\(repeatRule))."
                      : "\(n) \(n == 1 ? "person meets" : "people meet") the repeat criteria this month (\(repeatRule)):"
    }

    /// The serious-cases section's opening sentence.
    var seriousIntro: String {
        let all = b.seriousCases
        let critical = all.filter { $0.severity == .critical }.count
        let excused = all.filter { $0.review == .excused }.count
        let open = all.filter { $0.review == .open }.count
        if all.isEmpty { return zh ? "本月未发现严重问题。" : "There were no serious cases this month." }
        if zh {
            var p = "本月严重及以上问题共\(all.count)起，其中特别严重\(critical)起"
            if excused > 0 { p += "；经人事部门审核免责\(excused)起（仍予列出，不计入统计）" }
            if open > 0 { p += "；尚待审核\(open)起" }
            return p + "。具体如下："
        }
        var p = "There \(all.count == 1 ? "was" : "were") \(n(all.count, "serious or critical case")), \(critical) of them critical"
        if excused > 0 { p += "; HR excused \(excused) (listed, not counted)" }
        if open > 0 { p += "; \(open) await review" }
        return p + ":"
    }

    /// The completeness section's sentence.
    var completenessIntro: String {
        let c = b.completeness
        let due = c.reduce(0) { $0 + $1.expectedDays }, got = c.reduce(0) { $0 + $1.receivedDays }
        let short = c.filter { !$0.missing.isEmpty }.count
        let pct = ReportText.percent(due == 0 ? 100 : Double(got) * 100 / Double(due))
        let unverified = b.totals.unverified
        if zh {
            var p = "本月应报送考勤数据的采集端\(c.count)个，应报\(due)天次，实报\(got)天次，报送率\(pct)。"
            if unverified > 0 { p += "另有\(unverified)人日因读卡器无记录等原因未能核验，未计入异常。" }
            p += short == 0 ? "各采集端均已按时报送。" : "其中\(short)个采集端存在缺报，缺报日期的考勤未纳入本通报，请相关单位尽快补报："
            return p
        }
        var p = "\(n(c.count, "agent")) \(c.count == 1 ? "was" : "were") due to report \(n(due, "day")) and sent \(got) (\(pct)). "
        if unverified > 0 { p += "\(unverified) person-days could not be verified (no reader data) and are not charged. " }
        p += short == 0 ? "Every agent reported on time."
                        : "\(n(short, "agent")) \(short == 1 ? "has" : "have") days missing, which this bulletin does not cover:"
        return p
    }

    /// `1 absence`, `2 absences` (English only).
    func n(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    /// What units are asked to do.
    var closing: String {
        zh ? "请各单位对照本通报，认真查摆本单位存在的问题：对重复违规人员进行提醒谈话，对严重问题依规依纪处理，对缺报数据及时补报。对考勤记录有异议的，可向人事部门申请复核。"
           : "Units are asked to review this bulletin: to speak with the people listed as repeat cases, to deal with the serious cases under the rules, and to send any missing data. Anyone who disputes a record may ask HR for a review."
    }

    /// 特此通报。
    var sign: String { zh ? "特此通报。" : "Issued for information." }

    /// Missing dates as day ranges: `3—5日、9日` or `3–5, 9`.
    func days(_ dates: [CivilDate]) -> String {
        guard !dates.isEmpty else { return s["none"] }
        var parts: [String] = []
        var i = 0
        let sorted = dates.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1].dayNumber == sorted[j].dayNumber + 1 { j += 1 }
            let a = sorted[i].components.day, z = sorted[j].components.day
            parts.append(i == j ? "\(a)" : (zh ? "\(a)—\(z)" : "\(a)–\(z)"))
            i = j + 1
        }
        return zh ? parts.joined(separator: "、") + "日" : parts.joined(separator: ", ")
    }

    /// A repeat case's grounds.
    func reasons(_ c: RepeatCase) -> String {
        c.reasons.map { s["reason.\($0)"] }.joined(separator: zh ? "、" : ", ")
    }

    /// The review column of a serious case: state, and the note when there is one.
    func review(_ c: SeriousCase) -> String {
        guard let note = c.reviewNote, !note.isEmpty else { return s.review(c.review) }
        return zh ? "\(s.review(c.review))（\(note)）" : "\(s.review(c.review)) (\(note))"
    }
}
