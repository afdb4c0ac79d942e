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
}
