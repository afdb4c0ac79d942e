/// The language a person reads an output in: Chinese by default, English on request.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh
    case en
}

/// What HR decided about an anomaly. The raw values are part of the API.
public enum ReviewState: String, Sendable, Codable, CaseIterable {
    case open
    case confirmed
    case excused

    /// The state every reader shows (DESIGN, "One vocabulary"; issue 7, "one set of figures"): an
    /// anomaly the office excused by leave is 已豁免 and never 待审核, whatever a review says, because no
    /// count charges it; otherwise HR's decision, or 待审核 before there is one.
    public static func effective(leaveExcused: Bool, decision: ReviewState?) -> ReviewState {
        leaveExcused ? .excused : decision ?? .open
    }
}

/// The one table of labels every output of both programs uses (DESIGN, "One vocabulary"):
/// agent digests in every format, the collector's digest, the bulletin, the API's labels,
/// the console and alerts. No other place names an anomaly kind, a severity or a review state
/// for a person to read.
public struct Vocabulary: Sendable, Hashable {
    public var language: Language

    public init(_ language: Language) { self.language = language }

    /// 迟到 · 早退 · 旷工 · 上班缺卡 · 下班缺卡 · 擅自离岗 (or the English ones). The duty context of an
    /// absence is shown by the shift, not by another label.
    public func kind(_ kind: AnomalyKind) -> String {
        switch (kind, language) {
        case (.late, .zh): "迟到"
        case (.late, .en): "late"
        case (.earlyLeave, .zh): "早退"
        case (.earlyLeave, .en): "early leave"
        case (.absent, .zh): "旷工"
        case (.absent, .en): "absent"
        case (.missingIn, .zh): "上班缺卡"
        case (.missingIn, .en): "missing check-in"
        case (.missingOut, .zh): "下班缺卡"
        case (.missingOut, .en): "missing check-out"
        case (.offPost, .zh): "擅自离岗"
        case (.offPost, .en): "off post"
        }
    }

    /// 一般 · 严重 · 特别严重.
    public func severity(_ severity: Severity) -> String {
        switch (severity, language) {
        case (.minor, .zh): "一般"
        case (.minor, .en): "minor"
        case (.serious, .zh): "严重"
        case (.serious, .en): "serious"
        case (.critical, .zh): "特别严重"
        case (.critical, .en): "critical"
        }
    }

    /// 待审核 · 已确认 · 已豁免.
    public func review(_ state: ReviewState) -> String {
        switch (state, language) {
        case (.open, .zh): "待审核"
        case (.open, .en): "open"
        case (.confirmed, .zh): "已确认"
        case (.confirmed, .en): "confirmed"
        case (.excused, .zh): "已豁免"
        case (.excused, .en): "excused"
        }
    }

    /// 存疑待核: an anomaly the badges suggest but do not prove, charged only once HR confirms it.
    public var suspected: String { language == .zh ? "存疑待核" : "suspected" }

    /// The label of a data-quality item's kind.
    public func quality(_ kind: QualityKind) -> String {
        switch (kind, language) {
        case (.badLine, .zh): "无法读取的行"
        case (.badLine, .en): "unreadable line"
        case (.unknownBadge, .zh): "未登记的工号"
        case (.unknownBadge, .en): "unknown badge"
        case (.readerSilent, .zh): "读卡器无记录"
        case (.readerSilent, .en): "reader silent"
        case (.clockSkew, .zh): "读卡器时钟异常"
        case (.clockSkew, .en): "reader clock wrong"
        }
    }

    /// The label of a shift instance's status (出勤, 缺勤, 请假, 待定, 未核实).
    public func status(_ status: InstanceOutcome.Status) -> String {
        switch (status, language) {
        case (.present, .zh): "出勤"
        case (.present, .en): "present"
        case (.absent, .zh): "缺勤"
        case (.absent, .en): "absent"
        case (.excused, .zh): "请假"
        case (.excused, .en): "on leave"
        case (.pending, .zh): "待定"
        case (.pending, .en): "pending"
        case (.unverified, .zh): "未核实"
        case (.unverified, .en): "unverified"
        }
    }

    /// The label of a live duty alert: 值班未到岗 · 值班离岗超时 · 已返回 · 读卡器离线.
    public func alert(_ kind: DutyAlertKind) -> String {
        switch (kind, language) {
        case (.notArrived, .zh): "值班未到岗"
        case (.notArrived, .en): "not on duty"
        case (.awayOverLimit, .zh): "值班离岗超时"
        case (.awayOverLimit, .en): "away from post too long"
        case (.returned, .zh): "已返回"
        case (.returned, .en): "back at post"
        case (.readerOffline, .zh): "读卡器离线"
        case (.readerOffline, .en): "reader offline"
        }
    }

    /// A leave's reason as the leaves file wrote it (年假, 出差), or 已豁免 alone when it gave none:
    /// `已豁免：年假`, `excused: 年假`.
    public func excused(_ reason: String?) -> String {
        let label = review(.excused)
        guard let reason, !reason.isEmpty else { return label }
        return language == .zh ? "\(label)：\(reason)" : "\(label): \(reason)"
    }

    /// The sentence a person reads about a data-quality item, in this language. The English one is
    /// the item's own `message`; the Chinese one is built from the item's fields, so that no English
    /// stands in a Chinese output.
    public func message(_ q: QualityItem) -> String {
        guard language == .zh else { return q.message }
        let at = q.file.map { f in q.line.map { "\(f) 第\($0)行" } ?? f } ?? ""
        switch q.kind {
        case .badLine:
            let what = q.field.map { "“\($0)”无法识别，该行已跳过" } ?? "该行无法读取，已跳过"
            return what + "，文件其余各行照常使用。请核对该行后重新导出。"
        case .unknownBadge:
            let badge = q.badge ?? "?"
            let first = at.isEmpty ? "" : "（首次见 \(at)" + (q.reader.map { "，读卡器 \($0)" } ?? "") + "）"
            return "工号 \(badge) 打卡 \(q.count ?? 1) 次\(first)，但人员名单中没有此工号。"
                + "请为持卡人补填该卡号；访客卡或测试卡可不予理会。"
        case .clockSkew:
            if let drift = q.driftSeconds {
                let reader = q.reader.map { "读卡器 \($0) " } ?? "读卡器"
                let way = drift > 0 ? "快" : "慢"
                return "\(reader)的时钟比本机\(way) \(abs(drift)) 秒（超过 2 分钟），其打卡时间可能不准。"
                    + "请校准读卡器时钟（或在设备上开启与服务器同步时间）。"
            }
            let reset = (q.date?.components.year ?? 2001) < 2001
            let what = reset ? "早于2001年，读卡器时钟曾被重置" : "晚于当前时间，读卡器时钟走快"
            let reader = q.reader.map { "读卡器 \($0) " } ?? "读卡器"
            return "\(reader)有 \(q.count ?? 1) 条打卡的时间\(what)（首条见 \(at)），这些打卡未参与判定。"
                + "请校准读卡器时钟后重新导出，或手工更正时间。"
        case .readerSilent:
            let date = q.date.map { "\($0) " } ?? ""
            if let reader = q.reader, let interval = q.interval {
                let who = q.people.map { "（" + $0.joined(separator: "、") + "）" } ?? ""
                return "读卡器 \(reader) 在 \(interval) 期间未与本机联系；平时使用该读卡器的人员共 \(q.count ?? 0) 人次"
                    + "\(who)未作判定，不计任何人异常。请检查读卡器的电源和网络，恢复联系后设备会补传其间的打卡。"
            }
            if let reader = q.reader {
                let who = q.people.map { "（" + $0.map { p in p.replacingOccurrences(of: " (", with: "（").replacingOccurrences(of: ")", with: "）") }.joined(separator: "、") + "）" } ?? ""
                return "\(date)读卡器 \(reader) 无打卡记录，其他读卡器照常；平时使用该读卡器的人员共 \(q.count ?? 0) 人次"
                    + "\(who)未作判定，不计任何人异常。请补导该读卡器当日的数据，或核实其是否通电、联网，然后重新运行。"
            }
            let who = "所有读卡器"
            return "\(date)\(who)均无打卡记录，当日排班 \(q.count ?? 0) 人次未作判定，不计任何人异常。"
                + "请核实该日各读卡器的数据是否已全部导出、读卡器是否通电，然后重新运行。"
        }
    }
}
