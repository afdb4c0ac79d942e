import Crypto
import Foundation

/// What a live duty alert says. The raw values are part of the webhook's JSON (docs/alerts.md) and
/// of the `events` key of `[[alert]]`.
public enum DutyAlertKind: String, Sendable, Codable, CaseIterable {
    /// 值班未到岗: no arrival by the (leave-moved) start + `grace_late`.
    case notArrived = "not_arrived"
    /// 值班离岗超时: an away interval still open past `away_limit`.
    case awayOverLimit = "away_over_limit"
    /// 已返回: back at the post after an away interval past `away_limit`.
    case returned
    /// 读卡器离线: a reader that pushes stopped calling for `offline_minutes`.
    case readerOffline = "reader_offline"
}

/// One live alert about a duty instance in progress (or a reader gone quiet): values only, judged by
/// `DutyWatch` from the same engine code that judges the day.
public struct DutyAlert: Sendable, Codable, Hashable {
    /// Stable identity: a hash of site, person (or reader), business date, shift, kind and `since`.
    /// Judging again, after a restart too, gives the same id, so the queue takes each alert once.
    public var id: String
    public var kind: DutyAlertKind
    public var site: String
    /// The person, their name and unit on the business date (nil for a reader alert).
    public var person: String?
    public var name: String?
    public var unit: UnitPath?
    /// The duty instance: business date, shift code, shift name and its posts.
    public var date: CivilDate?
    public var shift: String?
    public var shiftName: String?
    public var posts: [String]
    /// Not arrived: the (moved) start; away and returned: the punch that opened the interval;
    /// reader offline: the reader's last call. Site-local wall-clock time.
    public var since: LocalDateTime
    /// Returned: the punch at the post that closed the interval.
    public var until: LocalDateTime?
    /// The moment the alert became due (start + grace, opening punch + limit, the closing punch,
    /// last call + offline minutes).
    public var due: LocalDateTime
    /// Returned: minutes away (outside breaks and leave, rounded up); away: the limit passed.
    public var minutes: Int?
    /// Reader offline: the reader id.
    public var reader: String?
    /// The punches it rests on (file, line, time, reader), as in an anomaly's evidence.
    public var evidence: [Evidence]

    public init(kind: DutyAlertKind, site: String, person: String? = nil, name: String? = nil, unit: UnitPath? = nil,
                date: CivilDate? = nil, shift: String? = nil, shiftName: String? = nil, posts: [String] = [],
                since: LocalDateTime, until: LocalDateTime? = nil, due: LocalDateTime, minutes: Int? = nil,
                reader: String? = nil, evidence: [Evidence] = []) {
        let subject = person ?? "reader:\(reader ?? "?")"
        let key = "\(site)\u{1F}\(subject)\u{1F}\(date.map(\.description) ?? "-")\u{1F}\(shift ?? "-")"
            + "\u{1F}\(kind.rawValue)\u{1F}\(since)"
        id = Hex.encode(SHA256.hash(data: Data(key.utf8)).prefix(12))
        self.kind = kind
        self.site = site
        self.person = person
        self.name = name
        self.unit = unit
        self.date = date
        self.shift = shift
        self.shiftName = shiftName
        self.posts = posts
        self.since = since
        self.until = until
        self.due = due
        self.minutes = minutes
        self.reader = reader
        self.evidence = evidence
    }
}
