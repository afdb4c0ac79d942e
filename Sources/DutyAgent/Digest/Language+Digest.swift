import Shared

/// The phrases of the agent's digests in each language. Every label of a kind, a severity, a review
/// state or a data-quality kind comes from `Vocabulary`, the one table both programs use.
extension Language {
    /// The table of labels for this language.
    var vocabulary: Vocabulary { Vocabulary(self) }

    /// The column headers of an anomaly row.
    var columns: [String] {
        self == .zh
            ? ["类别", "人员", "日期", "班次", "分钟", "程度", "审核", "打卡记录", "备注"]
            : ["kind", "person", "date", "shift", "min", "severity", "review", "punches", "note"]
    }

    /// The digest's title.
    var title: String { self == .zh ? "考勤异常汇总" : "Attendance anomalies" }
    /// The word before the site's name.
    var site: String { self == .zh ? "站点" : "site" }
    /// The business dates judged.
    func period(_ from: CivilDate, _ to: CivilDate) -> String {
        self == .zh ? "业务日期 \(from) 至 \(to)" : "business dates \(from) to \(to)"
    }
    /// What `--to` said about completeness.
    func complete(_ date: CivilDate) -> String {
        self == .zh ? "数据完整至 \(date)" : "data complete through \(date)"
    }
    /// Said when no `--to` was given.
    var watermarkOnly: String {
        self == .zh ? "未指定 --to：读卡器尚未覆盖的班次为待定" : "no --to: shifts the readers do not cover yet are pending"
    }
    /// Said when nothing was found.
    var noAnomalies: String { self == .zh ? "本期无考勤异常。" : "No anomalies in these dates." }
    /// The punches cell of an anomaly without evidence (an absence).
    var noPunches: String { self == .zh ? "无打卡" : "no punches" }
    /// The label of a unit's totals line.
    var subtotal: String { self == .zh ? "小计" : "Subtotal" }
    /// The label of the overall totals.
    var total: String { self == .zh ? "合计" : "Totals" }
    /// `：` or `: `.
    var colon: String { self == .zh ? "：" : ": " }
    /// `数据质量（3 项）`.
    func qualityHeading(_ count: Int) -> String {
        self == .zh ? "数据质量（\(count) 项）" : "Data quality (\(count))"
    }
    /// Said when there is no data-quality item.
    var noQuality: String { self == .zh ? "无数据质量问题。" : "No data-quality problems." }
    /// Marks a time on the day after the business date.
    var nextDay: String { self == .zh ? "次日" : "+1d " }

    /// `已豁免：年假`, the leave as the leaves file wrote it.
    func excused(_ reason: String?) -> String { vocabulary.excused(reason) }

    /// The review state of an anomaly in the agent's digest: HR has not seen it yet, so it is 待审核,
    /// unless leave excused it (已豁免). The collector's digest shows HR's decisions.
    func review(_ a: Anomaly) -> String {
        if a.suspected && !a.excused { return vocabulary.suspected }
        return vocabulary.review(a.excused ? .excused : .open)
    }

    /// The note of an anomaly: the moved start or end, the away interval.
    func note(_ a: Anomaly) -> String {
        var parts: [String] = []
        if a.excused, let reason = a.reason, !reason.isEmpty { parts.append(reason) }
        switch a.kind {
        case .late:
            if let s = a.expectedStart { parts.append((self == .zh ? "应到 " : "due ") + hhmm(s, a.date)) }
        case .earlyLeave:
            if let e = a.expectedEnd { parts.append((self == .zh ? "应退 " : "until ") + hhmm(e, a.date)) }
        case .offPost:
            if let f = a.awayFrom, let t = a.awayTo {
                parts.append((self == .zh ? "离岗 " : "away ") + time(f, a.date) + "–" + time(t, a.date))
            }
        case .absent:
            if let s = a.expectedStart, let e = a.expectedEnd {
                parts.append((self == .zh ? "应在岗 " : "due ") + hhmm(s, a.date) + "–" + hhmm(e, a.date))
            }
        case .missingIn, .missingOut:
            break
        }
        return parts.joined(separator: self == .zh ? "；" : "; ")
    }

    /// `HH:mm:ss`, prefixed 次日 when on a later date than the business date.
    func time(_ t: LocalDateTime, _ businessDate: CivilDate) -> String {
        prefix(t, businessDate) + t.timeOfDay
    }

    /// `HH:mm`, prefixed like `time`.
    func hhmm(_ t: LocalDateTime, _ businessDate: CivilDate) -> String {
        prefix(t, businessDate) + String(t.timeOfDay.prefix(5))
    }

    private func prefix(_ t: LocalDateTime, _ businessDate: CivilDate) -> String {
        let d = t.date.dayNumber - businessDate.dayNumber
        if d == 0 { return "" }
        if d == 1 { return nextDay }
        return "\(t.date) "
    }

    /// `08:05:12@3`, with ` badges/3_attlog.dat:7` when `sources`.
    func evidence(_ e: Evidence, _ businessDate: CivilDate, sources: Bool) -> String {
        let base = time(e.time, businessDate) + "@" + e.reader
        return sources ? base + " (\(e.file):\(e.line))" : base
    }

    /// `迟到 2 次 14 分钟；旷工 1 次 450 分钟（另豁免 1 次）`, or `无异常`.
    func summary(_ t: DigestTotals) -> String {
        var parts: [String] = []
        for kind in AnomalyKind.allCases {
            let k = t[kind]
            guard k.count > 0 else { continue }
            let timed = kind != .missingIn && kind != .missingOut
            if self == .zh {
                parts.append("\(vocabulary.kind(kind)) \(k.count) 次" + (timed ? " \(k.minutes) 分钟" : ""))
            } else {
                parts.append("\(vocabulary.kind(kind)) \(k.count)" + (timed ? " (\(k.minutes) min)" : ""))
            }
        }
        var s = parts.isEmpty ? (self == .zh ? "无计入异常" : "nothing charged")
                              : parts.joined(separator: self == .zh ? "；" : "; ")
        // What is listed but not charged, in one aside (two asides in a row read as a stutter).
        var aside: [String] = []
        if t.excused > 0 { aside.append(self == .zh ? "请假豁免 \(t.excused) 项" : "\(t.excused) excused by leave") }
        if let n = t.suspected, n > 0 {
            aside.append(self == .zh ? "\(vocabulary.suspected) \(n) 项" : "\(n) \(vocabulary.suspected)")
        }
        if !aside.isEmpty {
            s += self == .zh ? "（另有" + aside.joined(separator: "、") + (aside.count > 1 ? "，均不计入）" : "，不计入）")
                             : " (and " + aside.joined(separator: " and ") + ", not charged)"
        }
        return s
    }

    /// `审核：待审核 8，已确认 0，已豁免 4`: the agent's digest is before any review, so every charged
    /// anomaly is open and the leave-excused ones are excused, the same figures the collector starts from.
    func reviewLine(_ t: DigestTotals) -> String {
        let v = vocabulary
        return self == .zh
            ? "审核：\(v.review(.open)) \(t.charged)，\(v.review(.confirmed)) 0，\(v.review(.excused)) \(t.excused)（均因请假）；"
                + "人事部门尚未审核，审核结果见汇总端的考勤异常明细"
            : "review: \(v.review(.open)) \(t.charged), \(v.review(.confirmed)) 0, \(v.review(.excused)) \(t.excused) (all by leave); "
                + "HR reviews at the collector, whose digest shows the decisions"
    }

    /// `应到 12 人次，出勤 10，旷工 1，豁免 1，待定 0，未核实 0`.
    func instances(_ i: DigestTotals.Instances) -> String {
        if self == .zh {
            return "应到 \(i.scheduled) 人次，出勤 \(i.present)，缺勤 \(i.absent)，请假豁免 \(i.excused)，待定 \(i.pending)，未核实 \(i.unverified)"
        }
        return "\(i.scheduled) scheduled, \(i.present) present, \(i.absent) absent, \(i.excused) on leave, "
            + "\(i.pending) pending, \(i.unverified) unverified"
    }

    /// `读取 3 个打卡文件，1,234 条打卡，坏行 2，数据质量 3 项`.
    func inputs(_ t: DigestTotals) -> String {
        self == .zh
            ? "读取 \(t.files) 个打卡文件，\(t.punches) 条打卡，坏行 \(t.badLines)，数据质量问题 \(t.qualityItems) 项"
            : Self.plural(t.files, "badge file") + ", " + Self.plural(t.punches, "punch", "punches") + ", "
                + Self.plural(t.badLines, "bad line") + ", " + Self.plural(t.qualityItems, "data-quality item")
    }

    /// `… 另有 12 项“无法读取的行”未列出（完整列表见 --format json）`.
    func omitted(_ kind: QualityKind, _ count: Int) -> String {
        self == .zh
            ? "… 另有 \(count) 项“\(vocabulary.quality(kind))”未列出（完整列表见 --format json）"
            : "… and \(count) more \(vocabulary.quality(kind)) (all of them: --format json)"
    }

    /// `1 bad line`, `2 bad lines`.
    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    /// Where a quality item points: `file:line`, else the date and the reader.
    func location(_ q: QualityItem) -> String {
        if let f = q.file { return q.line.map { self == .zh ? "\(f) 第\($0)行" : "\(f):\($0)" } ?? f }
        var parts: [String] = []
        if let d = q.date { parts.append("\(d)") }
        if let r = q.reader { parts.append((self == .zh ? "读卡器 " : "reader ") + r) }
        return parts.joined(separator: " ")
    }
}
