import Foundation
import Shared
import TOMLKit

extension AgentConfigParser {
    /// `[alerts]`: `queue` ("alerts"), `scan_seconds` (10), `watch_seconds` (1), `keep_days` (7),
    /// `language` (zh | en), `offline_minutes` (deprecated: accepted with a warning, ignored); and every `[[alert]]`: `kind` (webhook | dingtalk |
    /// wecom | feishu, required), `url` (required), `secret_file`, `units`, `events`, `per_minute`,
    /// `format`, `ca_file`, `allow_plain_http`. Nil when neither is in the file.
    mutating func parseAlerts(_ root: TOMLTable) -> AlertsConfig? {
        let settings = table(root, "alerts", at: "")
        let targetTables = tables(root, "alert")
        guard settings != nil || !targetTables.isEmpty else { return nil }
        var config = AlertsConfig(queue: resolve("alerts"))
        if let t = settings {
            checkKeys(t, at: "alerts", allowed: ["queue", "scan_seconds", "watch_seconds", "keep_days", "offline_minutes",
                                                  "language"])
            if let q = string(t, "queue", at: "alerts") { config.queue = resolve(q) }
            config.scanSeconds = int(t, "scan_seconds", at: "alerts", minimum: 1, maximum: 3_600) ?? 10
            config.watchSeconds = int(t, "watch_seconds", at: "alerts", minimum: 0, maximum: 3_600) ?? 1
            config.keepDays = int(t, "keep_days", at: "alerts", minimum: 1, maximum: 3_660) ?? 7
            if t.contains(key: "offline_minutes") {
                // A reader that pushes is offline after the limit of its [[adms.device]] or [adms], the one
                // status and the day's judging use; this key never decided anything with a receiver.
                warn("alerts.offline_minutes", "is deprecated and ignored: a reader that pushes is offline for its "
                     + "reader_offline alert after [[adms.device]] offline_minutes, else [adms] offline_minutes; "
                     + "remove this key")
            }
            if let l = string(t, "language", at: "alerts") {
                if let language = Language(rawValue: l) {
                    config.language = language
                } else {
                    fail("alerts.language", "\"\(l)\" is not a language; use zh or en")
                }
            }
        }
        for (name, t) in targetTables {
            if let target = parseAlertTarget(t, name: name) { config.targets.append(target) }
        }
        return config
    }

    /// One `[[alert]]` table; nil (with the problems recorded) when it cannot be used.
    private mutating func parseAlertTarget(_ t: TOMLTable, name: String) -> AlertTarget? {
        checkKeys(t, at: name, allowed: ["kind", "url", "secret_file", "units", "events", "per_minute", "format",
                                         "ca_file", "allow_plain_http"])
        var kind: AlertTarget.Kind?
        if let k = string(t, "kind", at: name, required: true) {
            kind = AlertTarget.Kind(rawValue: k)
            if kind == nil {
                fail("\(name).kind", "\"\(k)\" is not an alert kind; use webhook, dingtalk, wecom or feishu")
            }
        }
        var plain = false
        if let value = t["allow_plain_http"] {
            if let b = value.bool { plain = b } else { fail("\(name).allow_plain_http", "must be true or false") }
        }
        var url: URL?
        if let u = string(t, "url", at: name, required: true) {
            if let parsed = URL(string: u), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
               parsed.host?.isEmpty == false {
                url = parsed
                if scheme == "http", !plain, !Self.isLoopback(parsed.host ?? "") {
                    fail("\(name).url", "http:// would send the alerts (names, posts, times) and the robot's token in clear to "
                         + "\(parsed.host ?? "?"), which is not this machine: use https://, "
                         + "or set allow_plain_http = true on a network you trust")
                    url = nil
                }
            } else {
                fail("\(name).url", "\"\(u)\" is not an http:// or https:// URL")
            }
        }
        var secret: URL?
        if let s = string(t, "secret_file", at: name) {
            let file = resolve(s)
            if kind == .wecom {
                fail("\(name).secret_file", "WeCom group robots do not sign their messages; remove secret_file")
            } else if !FileManager.default.isReadableFile(atPath: file.path) {
                fail("\(name).secret_file", "cannot read \"\(s)\" (\(file.path))")
            } else if let data = FileManager.default.contents(atPath: file.path),
                      String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fail("\(name).secret_file", "\"\(s)\" is empty")
            } else {
                secret = file
            }
        }
        var caFile: URL?
        if let c = string(t, "ca_file", at: name) {
            let file = resolve(c)
            if FileManager.default.isReadableFile(atPath: file.path) { caFile = file } else {
                fail("\(name).ca_file", "cannot read \"\(c)\" (\(file.path))")
            }
        }
        var units: [UnitPath] = []
        for u in strings(t, "units", at: name) ?? [] {
            let unit = UnitPath(u)
            if unit.components.isEmpty { fail("\(name).units", "an empty unit path matches nobody") } else { units.append(unit) }
        }
        var events: Set<DutyAlertKind> = [.notArrived, .awayOverLimit, .returned]
        if let names = strings(t, "events", at: name) {
            events = []
            for e in names {
                if let k = DutyAlertKind(rawValue: e) { events.insert(k) } else {
                    fail("\(name).events", "\"\(e)\" is not an alert event; use "
                         + DutyAlertKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
        }
        let perMinute = int(t, "per_minute", at: name, minimum: 1, maximum: 6_000)
        var format = "text"
        if let f = string(t, "format", at: name) {
            let allowed: [String] = switch kind {
            case .dingtalk, .wecom: ["text", "markdown"]
            case .feishu: ["text", "post"]
            default: ["json"]
            }
            if allowed.contains(f) { format = f } else {
                fail("\(name).format", "\"\(f)\" is not a format of this kind; use " + allowed.joined(separator: " or "))
            }
        }
        guard let kind, let url else { return nil }
        return AlertTarget(name: name, kind: kind, url: url, secretFile: secret, units: units, events: events,
                           perMinute: perMinute ?? kind.defaultPerMinute, format: format, caFile: caFile,
                           allowPlainHTTP: plain)
    }
}
