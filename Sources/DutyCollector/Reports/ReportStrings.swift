import Foundation
import Shared

/// The headings and column names the bulletin and the digest print, in Chinese and English.
/// Kinds, severities, review states and data-quality kinds come from `Vocabulary`, the one table
/// of labels both programs use; whole sentences live in `BulletinProse`.
struct ReportStrings: Sendable {
    var language: Language
    /// The one table of labels.
    var vocabulary: Vocabulary { Vocabulary(language) }

    init(_ language: Language) { self.language = language }

    /// The label for `key`; the key itself when the table has none (a bug the golden tests catch).
    subscript(_ key: String) -> String {
        guard let pair = ReportStrings.table[key] else { return key }
        return language == .zh ? pair.0 : pair.1
    }

    /// The label of an anomaly kind (迟到, 早退, 旷工, 上班缺卡, 下班缺卡, 擅自离岗).
    func kind(_ kind: AnomalyKind) -> String { vocabulary.kind(kind) }

    /// The label of a severity (一般, 严重, 特别严重).
    func severity(_ s: Severity) -> String { vocabulary.severity(s) }

    /// The label of a review state (待审核, 已确认, 已豁免).
    func review(_ s: ReviewState) -> String { vocabulary.review(s) }

    /// A date as `2026年11月3日` or `3 November 2026`.
    func date(_ d: CivilDate) -> String {
        let (y, m, day) = d.components
        return language == .zh ? "\(y)年\(m)月\(day)日" : "\(day) \(ReportStrings.months[m - 1]) \(y)"
    }

    /// A month as `2026年11月` or `November 2026`.
    func month(_ m: ReportMonth) -> String {
        language == .zh ? "\(m.year)年\(m.month)月" : "\(ReportStrings.months[m.month - 1]) \(m.year)"
    }

    /// English month names.
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    /// key: (中文, English).
    static let table: [String: (String, String)] = [
        "reason.late_early": ("迟到、早退", "late/early leave"),
        "section.overview": ("一、总体情况", "1. Overview"),
        "section.units": ("二、各单位情况", "2. Units"),
        "section.serious": ("四、严重及特别严重异常", "4. Serious and critical cases"),
        "section.completeness": ("五、数据完整性", "5. Data completeness"),
        "table.units": ("表2　各单位异常次数及时长", "Table 2. Anomalies per unit"),
        "table.rates": ("表3　各单位每百人日异常率及排名", "Table 3. Rates per 100 person-days and ranking"),
        "chart.rates": ("图1　各单位每百人日异常（按类别）", "Figure 1. Anomalies per 100 person-days by unit and kind"),
        "chart.mom": ("图2　各单位每百人日异常环比", "Figure 2. Month on month, anomalies per 100 person-days"),
        "col.kind": ("类别", "Kind"),
        "col.count": ("次数", "Count"),
        "col.minutes": ("分钟", "Minutes"),
        "col.rate": ("每百人日", "Per 100 p-d"),
        "col.previous": ("上月", "Last month"),
        "col.change": ("环比", "Change"),
        "col.rank": ("排名", "Rank"),
        "col.unit": ("单位", "Unit"),
        "col.scheduled": ("排班人日", "Scheduled p-d"),
        "col.present": ("实到", "Present"),
        "col.excused": ("请假", "On leave"),
        "col.unverified": ("未核实", "Unverified"),
        "col.minutesLate": ("迟到早退分钟", "Late/early min"),
        "col.minutesAway": ("擅自离岗分钟", "Off-post min"),
        "col.total": ("合计", "Total"),
        "col.score": ("每百人日异常", "Per 100 p-d"),
        "col.no": ("序号", "No."),
        "col.name": ("姓名", "Name"),
        "col.person": ("工号", "ID"),
        "col.date": ("日期", "Date"),
        "col.shift": ("班次", "Shift"),
        "col.severity": ("程度", "Severity"),
        "col.review": ("审核", "Review"),
        "col.note": ("备注", "Note"),
        "col.reasons": ("认定依据", "Grounds"),
        "col.agent": ("采集端", "Agent"),
        "col.agentUnits": ("所辖单位", "Units"),
        "col.expected": ("应报天数", "Days due"),
        "col.received": ("已报天数", "Days received"),
        "col.percent": ("报送率", "Received"),
        "col.missing": ("缺报日期", "Days missing"),
        "col.lastContact": ("最后联系", "Last contact"),
        "col.evidence": ("打卡记录", "Punches"),
        "col.id": ("编号", "Anomaly id"),
        "legend.previous": ("上月", "last month"),
        "legend.current": ("本月", "this month"),
        "none": ("无", "none"),
        "revoked": ("已停用", "revoked"),
        "digest.title": ("考勤异常明细", "Attendance anomaly digest"),
        "digest.period": ("统计期间", "Period"),
        "digest.scope": ("范围", "Scope"),
        "digest.all": ("全部单位", "all units"),
        "digest.total": ("合计", "Total"),
        "digest.empty": ("期间内无考勤异常。", "No anomalies in the period."),
        "digest.leave": ("请假", "leave"),
    ]
}
