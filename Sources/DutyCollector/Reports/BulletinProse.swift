import Foundation
import Shared

/// The sentences of the bulletin, built from its figures in Chinese or English; the HTML and
/// Markdown renderers print the same ones.
struct BulletinProse: Sendable {
    var b: Bulletin
    var s: ReportStrings

    init(_ bulletin: Bulletin, _ language: Language) {
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

    /// The opening paragraph with the month's totals: the dates without data first, what was
    /// charged, and how much of it HR has reviewed. It claims no review, no improvement and no
    /// absence of problems that the data does not show.
    var opening: String {
        let t = b.totals
        let c = { (k: AnomalyKind) in t.line(k).count }
        let v = s.vocabulary
        let r = b.review
        if zh {
            var p = "\(s.month(b.month))"
            if let through { p += "（统计截至\(through.month)月\(through.components.day)日）" }
            p += "，\(scopeName)共排班\(t.scheduled)人日，实到\(t.present)人日，请假\(t.excused)人日"
            p += t.unverified > 0 ? "，未能核实\(t.unverified)人日。" : "。"
            if !b.daysWithoutData.isEmpty {
                p += gaps + "无考勤数据（读卡器无记录或未报送），这些日期未作判定，本通报不反映其考勤情况。"
            }
            if t.judged == 0, t.scheduled > 0 || !b.daysWithoutData.isEmpty {
                return p + "本月没有可以核实的考勤数据，无法判定考勤情况，本通报不作排名和比较。现将有关情况通报如下："
            }
            if t.charged == 0 {
                p += b.dataComplete ? "经考勤系统比对，本月未发现计入的考勤异常" : "经考勤系统比对，已核实的数据中未发现计入的考勤异常"
                p += r.leaveExcused > 0 ? "（另有\(r.leaveExcused)条因请假豁免，不计入）。" : "。"
                return p + "现将有关情况通报如下："
            }
            var parts: [String] = []
            let lateEarly = [(c(.late), v.kind(.late)), (c(.earlyLeave), v.kind(.earlyLeave))].filter { $0.0 > 0 }
                .map { "\($0.1)\($0.0)人次" }
            if !lateEarly.isEmpty { parts.append(lateEarly.joined(separator: "、") + "，累计\(t.minutesLate)分钟") }
            if c(.absent) > 0 { parts.append("\(v.kind(.absent))\(c(.absent))人次") }
            for k in [AnomalyKind.missingIn, .missingOut] where c(k) > 0 { parts.append("\(v.kind(k))\(c(k))人次") }
            if c(.offPost) > 0 { parts.append("\(v.kind(.offPost))\(c(.offPost))人次，累计离岗\(t.minutesAway)分钟") }
            p += "经考勤系统比对，本月计入考勤异常\(t.charged)人次：" + parts.joined(separator: "；") + "。"
            p += "合计每百人日异常\(ReportText.rate(t.score))次" + trend(t.scoreChange, previous: t.previousScore) + "。"
            p += reviewSentence
            return p + "现将有关情况通报如下："
        }
        var p = "In \(s.month(b.month))"
        if let through { p += " (up to \(s.date(through)))" }
        p += ", \(scopeName) had \(t.scheduled) scheduled person-days: \(t.present) present, \(t.excused) on leave"
        p += t.unverified > 0 ? ", \(t.unverified) not verified. " : ". "
        if !b.daysWithoutData.isEmpty {
            p += "There is no attendance data for \(gaps) (no reader recorded a punch, or nothing was sent): "
                + "those dates were not judged and this bulletin does not cover them. "
        }
        if t.judged == 0, t.scheduled > 0 || !b.daysWithoutData.isEmpty {
            return p + "There is no attendance data that could be verified this month: nothing can be judged, ranked or compared. The details follow."
        }
        if t.charged == 0 {
            p += b.dataComplete ? "The attendance system found nothing to charge this month"
                                : "The attendance system found nothing to charge in the data it could verify"
            p += r.leaveExcused > 0
                ? " (\(n(r.leaveExcused, "anomaly", "anomalies")) excused by leave \(r.leaveExcused == 1 ? "is" : "are") not charged). " : ". "
            return p + "The details follow."
        }
        var parts: [String] = []
        let lateEarly = [(c(.late), "late arrival"), (c(.earlyLeave), "early leave")].filter { $0.0 > 0 }.map { n($0.0, $0.1) }
        if !lateEarly.isEmpty { parts.append(lateEarly.joined(separator: " and ") + " (\(t.minutesLate) minutes in all)") }
        if c(.absent) > 0 { parts.append(n(c(.absent), "absence")) }
        if c(.missingIn) > 0 { parts.append(n(c(.missingIn), "missing check-in")) }
        if c(.missingOut) > 0 { parts.append(n(c(.missingOut), "missing check-out")) }
        if c(.offPost) > 0 { parts.append(n(c(.offPost), "case") + " off post (\(t.minutesAway) minutes away)") }
        let list = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
        p += "The attendance system charges \(list): "
        p += "\(ReportText.rate(t.score)) anomalies per 100 person-days"
        p += trend(t.scoreChange, previous: t.previousScore) + ". "
        return p + reviewSentence + "The details follow."
    }

    /// How much HR has reviewed: `人事部门已审核3条（确认2条、豁免1条），尚有17条待审核，…`.
    var reviewSentence: String {
        let r = b.review
        let hrExcused = r.excused - r.leaveExcused
        if zh {
            var p = r.reviewed == 0 ? "上述异常均未经人事部门审核"
                : "人事部门已审核\(r.reviewed)条（确认\(r.confirmed)条、豁免\(hrExcused)条）"
            if r.open > 0 { p += (r.reviewed == 0 ? "，\(r.open)条" : "，尚有\(r.open)条") + "待审核，暂按系统比对结果计入" }
            if let overdue = r.overdue, let days = r.reviewDays, r.open > 0 {
                p += overdue == 0 ? "，均未超过\(days)个工作日的办结时限" : "，其中\(overdue)条已超过\(days)个工作日的办结时限"
                if let calendar = r.holidayCalendar { p += calendar ? "（工作日按节假日安排计算）" : "（工作日按周一至周五计算，未含节假日安排）" }
            }
            if r.leaveExcused > 0 { p += "；另有\(r.leaveExcused)条因请假豁免，不计入" }
            return p + "。"
        }
        var p = r.reviewed == 0 ? "HR has reviewed none of them"
            : "HR has reviewed \(r.reviewed) (\(r.confirmed) confirmed, \(hrExcused) excused)"
        if r.open > 0 { p += "; \(r.open) await review and count as the system found them" }
        if let overdue = r.overdue, let days = r.reviewDays, r.open > 0 {
            p += overdue == 0 ? ", none past the time limit of \(n(days, "working day", "working days"))"
                : ", \(overdue) of them past the time limit of \(n(days, "working day", "working days"))"
            if let calendar = r.holidayCalendar {
                p += calendar ? " (working days per the holiday calendar)" : " (working days Monday to Friday, public holidays not known)"
            }
        }
        if r.leaveExcused > 0 {
            p += "; \(n(r.leaveExcused, "anomaly", "anomalies")) excused by leave \(r.leaveExcused == 1 ? "is" : "are") not charged"
        }
        return p + ". "
    }

    /// Who has no data when: `城东分局11月14—16、25日，…` or `城东分局 on 14–16 and 25 November; …`.
    var gaps: String {
        b.daysWithoutData.map { g in
            let who = g.units.map { $0.components.last ?? $0.description }.joined(separator: zh ? "、" : ", ")
            return zh ? who + month(g.dates) : "\(who) on \(month(g.dates))"
        }.joined(separator: zh ? "，" : "; ")
    }

    /// Dates of the month as day ranges: `11月3—5日、9日` or `3–5 and 9 November`.
    func month(_ dates: [CivilDate]) -> String {
        guard let first = dates.first else { return "" }
        let m = first.components.month
        return zh ? "\(m)月" + days(dates) : days(dates) + " " + ReportStrings.months[m - 1]
    }

    /// `，较上月上升0.42次` or `, up 0.42 on last month`.
    func trend(_ change: Double?, previous: Double?) -> String {
        guard let change, let previous else { return zh ? "（上月无可比数据）" : " (no figures for last month to compare)" }
        let amount = ReportText.rate(abs(change))
        if amount == "0.00" { return zh ? "，与上月持平" : ", level with last month" }
        if zh { return "，较上月\(change > 0 ? "上升" : "下降")\(amount)次（上月\(ReportText.rate(previous))次）" }
        return ", \(change > 0 ? "up" : "down") \(amount) on last month (\(ReportText.rate(previous)))"
    }

    /// The units section's sentence: who ranks first and last (ties named together), who rose and
    /// fell most, and which units have no data to rank.
    var ranking: String {
        let r = b.ranking
        let name = { (u: RankedUnit) in u.unit.components.last ?? u.unit.description }
        let level = Set(r.map(\.unit))
        let depth = r.first.map { $0.unit.components.count }
        let unranked = b.units.filter { u in
            u.judged == 0 && depth == u.unit.components.count && !level.contains(u.unit)
                && (b.scope == nil || u.unit.isWithin(b.scope!))
        }.map { $0.unit.components.last ?? $0.unit.description }
        var p: String
        if r.isEmpty {
            p = zh ? "本月各单位均无可核实的考勤数据，不作排名。" : "No unit has verified attendance data this month; there is no ranking."
            return p
        }
        if r.allSatisfy({ $0.score == 0 }) {
            p = zh ? "各单位本月均无计入的考勤异常，不分先后" : "No unit has a charged anomaly this month; they rank equal"
        } else {
            let top = r.filter { $0.rank <= 3 }
            let named = top.map { zh ? "\(name($0))（\(ReportText.rate($0.score))次）" : "\(name($0)) (\(ReportText.rate($0.score)))" }
            let lastRank = r.map(\.rank).max() ?? 1
            let bottom = r.filter { $0.rank == lastRank && $0.rank > 3 }
            if zh {
                p = "按每百人日异常次数排序，\(named.joined(separator: "、"))居前"
                if top.count > 1, Set(top.map(\.rank)).count < top.count { p += "（次数相同者并列）" }
                if let last = bottom.first {
                    p += "；\(bottom.map(name).joined(separator: "、"))最少（\(ReportText.rate(last.score))次）"
                }
            } else {
                p = "Ranked by anomalies per 100 person-days, \(named.joined(separator: ", ")) come first"
                if top.count > 1, Set(top.map(\.rank)).count < top.count { p += " (equal scores share a rank)" }
                if let last = bottom.first {
                    p += "; \(bottom.map(name).joined(separator: ", ")) \(bottom.count == 1 ? "has" : "have") the fewest (\(ReportText.rate(last.score)))"
                }
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
        }
        p += zh ? "。" : "."
        if !unranked.isEmpty {
            p += zh ? "\(unranked.joined(separator: "、"))本月无可核实的考勤数据，未参与排名和比较。"
                    : " \(unranked.joined(separator: ", ")) \(unranked.count == 1 ? "has" : "have") no verified data this month and \(unranked.count == 1 ? "is" : "are") neither ranked nor compared."
        }
        return p
    }

    /// The rule that makes a repeat case, as a clause.
    var repeatRule: String {
        let st = b.settings
        if zh {
            let a = st.repeatAbsent == 1 ? "有旷工情形" : "旷工累计\(st.repeatAbsent)次及以上"
            let o = st.repeatOffPost == 1 ? "有擅自离岗情形" : "擅自离岗累计\(st.repeatOffPost)次及以上"
            return "迟到、早退累计\(st.repeatLateEarly)次及以上，或\(a)，或\(o)"
        }
        let a = st.repeatAbsent == 1 ? "any absence" : "\(st.repeatAbsent) or more absences"
        let o = st.repeatOffPost == 1 ? "any time off post" : "\(st.repeatOffPost) or more cases off post"
        return "\(st.repeatLateEarly) or more late arrivals and early leaves together, \(a), or \(o)"
    }

    /// Section 3's heading: it names the rule its list follows (a single absence is not a repeat).
    var repeatHeading: String {
        zh ? "三、\(repeatRule)的人员" : "3. People with \(repeatRule)"
    }

    /// Section 3's opening sentence.
    var repeatIntro: String {
        let n = b.repeatCases.count
        if zh {
            return n == 0 ? "本月无人员符合上述标准（只计入的异常，请假或经人事部门豁免的不计）。"
                          : "本月共有\(n)名人员符合上述标准（只计入的异常，请假或经人事部门豁免的不计），名单如下："
        }
        return n == 0 ? "Nobody meets this rule this month (charged anomalies only)."
                      : "\(n) \(n == 1 ? "person meets" : "people meet") this rule this month (charged anomalies only):"
    }

    /// The serious-cases section's opening sentence.
    var seriousIntro: String {
        let all = b.seriousCases
        let critical = all.filter { $0.severity == .critical }.count
        let excused = all.filter { $0.review == .excused }.count
        let open = all.filter { $0.review == .open }.count
        if all.isEmpty {
            if !b.dataComplete { return zh ? "已核实的数据中无严重及以上异常。" : "The verified data holds no serious or critical case." }
            return zh ? "本月无严重及以上异常。" : "There were no serious or critical cases this month."
        }
        if zh {
            var p = "本月程度为严重及以上的异常共\(all.count)起，其中特别严重\(critical)起"
            if excused > 0 { p += "；人事部门已豁免\(excused)起（仍予列出，不计入统计）" }
            if open > 0 { p += "；\(open)起待审核" }
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
            if !b.daysWithoutData.isEmpty { p += gaps + "无考勤数据，未作判定。" }
            if unverified > 0 { p += "另有\(unverified)人日因读卡器无记录等原因未能核实，未计入异常，也未计入各项比率。" }
            let silentSent = short == 0 && !b.daysWithoutData.isEmpty
            p += silentSent ? "各采集端均已按时报送，但上述日期的报送中没有任何打卡记录，请相关单位核实读卡器数据的导出是否中断。"
                : short == 0 ? "各采集端均已按时报送。" : "其中\(short)个采集端存在缺报，缺报日期的考勤未纳入本通报，请相关单位尽快补报："
            return p
        }
        var p = "\(n(c.count, "agent")) \(c.count == 1 ? "was" : "were") due to report \(n(due, "day")) and sent \(got) (\(pct)). "
        if !b.daysWithoutData.isEmpty { p += "There is no data for \(gaps); those dates were not judged. " }
        if unverified > 0 { p += "\(unverified) person-days could not be verified (no reader data): nothing is charged for them and they are left out of every rate. " }
        p += short == 0 && !b.daysWithoutData.isEmpty
            ? "Every agent reported on time, but the reports of those dates hold no punch at all: check that the readers' exports have not stopped."
            : short == 0 ? "Every agent reported on time."
                        : "\(n(short, "agent")) \(short == 1 ? "has" : "have") days missing, which this bulletin does not cover:"
        return p
    }

    /// `1 absence`, `2 absences` (English only).
    func n(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }

    /// What units are asked to do.
    var closing: String {
        zh ? "请各单位对照本通报，认真查摆本单位存在的问题：对第三部分所列人员进行提醒谈话，对经审核确认的严重问题依规依纪处理，对缺报数据及时补报。对考勤记录有异议的，可向人事部门申请复核。"
           : "Units are asked to review this bulletin: to speak with the people listed in section 3, to deal with the confirmed serious cases under the rules, and to send any missing data. Anyone who disputes a record may ask HR for a review."
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
        c.reasons.map { reason in
            AnomalyKind(rawValue: reason).map(s.kind) ?? s["reason.\(reason)"]
        }.joined(separator: zh ? "、" : ", ")
    }

    /// The review column of a serious case: state, and the note when there is one.
    func review(_ c: SeriousCase) -> String {
        guard let note = c.reviewNote, !note.isEmpty else { return s.review(c.review) }
        return zh ? "\(s.review(c.review))（\(note)）" : "\(s.review(c.review)) (\(note))"
    }
}
