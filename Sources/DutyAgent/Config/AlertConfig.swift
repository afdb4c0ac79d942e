import Crypto
import Foundation
import Shared

/// `[alerts]` and the `[[alert]]` targets: live duty alerts (see `docs/alerts.md`).
struct AlertsConfig: Sendable, Hashable {
    /// `queue`: the folder where alerts wait until each target has them (default `alerts`).
    var queue: URL
    /// `scan_seconds`: how often duty instances are judged when nothing nudges the loop (default 10).
    var scanSeconds: Int = 10
    /// `watch_seconds`: how often the input files' sizes and times are looked at; a change wakes the
    /// judging at once (default 1; 0 turns it off and leaves judging to `scan_seconds` and nudges).
    var watchSeconds: Int = 1
    /// `keep_days`: sent alerts are kept this many days for `status`, then removed (default 7).
    var keepDays: Int = 7
    /// `language`: `zh` (default) or `en`, the language of the messages.
    var language: Language = .zh
    /// The `[[alert]]` targets in file order.
    var targets: [AlertTarget] = []
}

/// One `[[alert]]` target.
struct AlertTarget: Sendable, Hashable {
    /// `kind`: how the message is written, signed and answered.
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case webhook, dingtalk, wecom, feishu

        /// Sends a minute a target of this kind accepts by default (the vendors' documented limits).
        var defaultPerMinute: Int {
            switch self {
            case .dingtalk, .wecom: 20
            case .feishu: 100
            case .webhook: 60
            }
        }
    }
    /// `alert[N]`, for messages and `status`.
    var name: String
    var kind: Kind
    /// `url`: the robot's or receiver's full address (DingTalk's with `access_token=…`).
    var url: URL
    /// `secret_file`: the signing secret (DingTalk, Feishu, and the plain webhook's HMAC header).
    var secretFile: URL?
    /// `units`: unit path prefixes whose people this target hears about; empty is everyone.
    var units: [UnitPath] = []
    /// `events`: the alert kinds it gets (default: not_arrived, away_over_limit, returned).
    var events: Set<DutyAlertKind> = [.notArrived, .awayOverLimit, .returned]
    /// `per_minute`: the most messages sent a minute (default by kind).
    var perMinute: Int
    /// `format`: `text` (default) or `markdown` (DingTalk, WeCom) / `post` (Feishu).
    var format: String = "text"
    /// `ca_file`: PEM certificates trusted for an `https://` target on a private CA.
    var caFile: URL?
    /// `allow_plain_http`: whether `http://` may go to a host that is not this machine.
    var allowPlainHTTP = false

    /// The folder name of the target's queue: kind and a hash of the URL, so that reordering the
    /// `[[alert]]` tables does not mix queues, and the URL's token is not written in a path.
    var queueKey: String { "\(kind.rawValue)-\(Hex.encode(SHA256.hash(data: Data(url.absoluteString.utf8)).prefix(6)))" }

    /// Whether this target hears about `alert`.
    func wants(_ alert: DutyAlert) -> Bool {
        guard events.contains(alert.kind) else { return false }
        guard !units.isEmpty, alert.kind != .readerOffline else { return true }
        guard let unit = alert.unit else { return false }
        return units.contains { unit.isWithin($0) }
    }
}
