import Foundation
import Shared
import TOMLKit

extension AgentConfigParser {
    /// `[site]`: `id` (required), `name`, `timezone` (IANA, default Asia/Shanghai).
    mutating func parseSite(_ root: TOMLTable) -> SiteConfig? {
        guard let t = table(root, "site", at: "") else {
            fail("site", "missing: the config needs a [site] table with at least id = \"…\"")
            return nil
        }
        checkKeys(t, at: "site", allowed: ["id", "name", "timezone"])
        let id = identifier(t, "id", at: "site", required: true)
        let name = string(t, "name", at: "site")
        var zone = TimeZone(identifier: "Asia/Shanghai")!
        if let tz = string(t, "timezone", at: "site") {
            if let z = TimeZone(identifier: tz) {
                zone = z
            } else {
                fail("site.timezone", "\"\(tz)\" is not an IANA time zone (such as \"Asia/Shanghai\")")
            }
        }
        guard let id else { return nil }
        return SiteConfig(id: id, name: name ?? id, timeZone: zone)
    }

    /// `[inputs]`: `people` (required), `badges` (required, globs), `roster`, `leaves`, `transfers`, `holidays` (globs),
    /// `workweek` (default mon to fri).
    mutating func parseInputs(_ root: TOMLTable) -> InputsConfig? {
        guard let t = table(root, "inputs", at: "") else {
            fail("inputs", "missing: the config needs an [inputs] table naming people and badges")
            return nil
        }
        checkKeys(t, at: "inputs", allowed: ["people", "badges", "roster", "leaves", "transfers", "holidays", "workweek"])
        var people: InputFile?
        if let p = string(t, "people", at: "inputs", required: true) { people = files(p, key: "inputs.people").first }
        var badges: [InputFile] = []
        if let patterns = strings(t, "badges", at: "inputs") {
            if patterns.isEmpty && root["adms"] == nil { fail("inputs.badges", "must name at least one file or pattern") }
            for p in patterns {
                for f in files(p, key: "inputs.badges") where !badges.contains(f) { badges.append(f) }
            }
        } else if t["badges"] == nil && root["adms"] == nil {
            fail("inputs.badges", "missing; list the badge files, such as [\"badges/*.dat\"] (with [adms] it may be left out: "
                 + "the journal of the readers that push is read without it)")
        }
        let roster = string(t, "roster", at: "inputs").flatMap { files($0, key: "inputs.roster").first }
        let leaves = string(t, "leaves", at: "inputs").flatMap { files($0, key: "inputs.leaves").first }
        let transfers = string(t, "transfers", at: "inputs").flatMap { files($0, key: "inputs.transfers").first }
        var holidays: [InputFile] = []
        for p in strings(t, "holidays", at: "inputs") ?? [] {
            for f in files(p, key: "inputs.holidays") where !holidays.contains(f) { holidays.append(f) }
        }
        var workweek: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]
        if let days = strings(t, "workweek", at: "inputs", single: false) {
            workweek = weekdays(days, key: "inputs.workweek")
        }
        guard let people else { return nil }
        return InputsConfig(people: people, badges: badges, roster: roster, leaves: leaves, transfers: transfers,
                            holidays: holidays, workweek: workweek)
    }

    /// Day names (`mon` … `sun`, or full English names), reporting unknown ones.
    mutating func weekdays(_ names: [String], key: String) -> Set<Weekday> {
        var out: Set<Weekday> = []
        for name in names {
            let n = name.lowercased().trimmingCharacters(in: .whitespaces)
            if let d = Weekday(rawValue: String(n.prefix(3))), n.count == 3 || Self.fullDayNames.contains(n) {
                out.insert(d)
            } else {
                fail(key, "\"\(name)\" is not a day of the week; use mon, tue, wed, thu, fri, sat, sun")
            }
        }
        return out
    }

    private static let fullDayNames: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    /// The names of the rule keys, valid in `[rules]` and in every `[[shift]]`.
    static let ruleKeys = [
        "grace_late", "grace_early", "check_in_early", "check_out_late", "debounce_seconds", "away_limit",
        "serious_minutes", "absent_minutes",
    ]

    /// Reads the rule keys present in `t` over `base`; returns the settings and whether `away_limit` was given.
    mutating func readRules(_ t: TOMLTable, at name: String, over base: RuleSettings) -> (RuleSettings, Bool) {
        var r = base
        var awayGiven = false
        for key in Self.ruleKeys {
            guard let v = int(t, key, at: name, maximum: RuleSettings.maximum(forKey: key)) else { continue }
            switch key {
            case "grace_late": r.graceLate = v
            case "grace_early": r.graceEarly = v
            case "check_in_early": r.checkInEarly = v
            case "check_out_late": r.checkOutLate = v
            case "debounce_seconds": r.debounceSeconds = v
            case "away_limit": r.awayLimit = v; awayGiven = true
            case "serious_minutes": r.seriousMinutes = v
            default: r.absentMinutes = v
            }
        }
        return (r, awayGiven)
    }

    /// `[rules]`: the defaults of every shift; also whether it sets `away_limit`.
    mutating func parseRules(_ root: TOMLTable) -> (RuleSettings, Bool) {
        guard let t = table(root, "rules", at: "") else { return (RuleSettings(), false) }
        checkKeys(t, at: "rules", allowed: Self.ruleKeys)
        let (rules, away) = readRules(t, at: "rules", over: RuleSettings())
        if rules.absentMinutes < rules.seriousMinutes {
            fail("rules.absent_minutes", "must not be below serious_minutes (\(rules.seriousMinutes))")
        }
        return (rules, away)
    }

    /// `[[reader]]`: `id` (required, unique), `post`, `direction` (in | out | state | unknown).
    mutating func parseReaders(_ root: TOMLTable) -> [ReaderConfig] {
        var readers: [ReaderConfig] = []
        for (name, t) in tables(root, "reader") {
            checkKeys(t, at: name, allowed: ["id", "post", "direction"])
            guard let id = identifier(t, "id", at: name, required: true) else { continue }
            if readers.contains(where: { $0.id == id }) {
                fail("\(name).id", "reader \"\(id)\" is defined twice")
                continue
            }
            var direction = ReaderConfig.Direction.unknown
            if let d = string(t, "direction", at: name) {
                if let parsed = ReaderConfig.Direction(rawValue: d) {
                    direction = parsed
                } else {
                    fail("\(name).direction", "\"\(d)\" is not a direction; use in, out, state or unknown")
                }
            }
            readers.append(ReaderConfig(id: id, post: string(t, "post", at: name), direction: direction))
        }
        return readers
    }

    /// `[collector]`: `url` (required in the table), `token_file`, `spool` (default "spool"),
    /// `spool_max_mb` (256), `settle_minutes` (30), `scan_seconds` (60), `history_days` (366),
    /// `ca_file`, `client_cert` and `client_key` (PEM files, checked readable), `allow_plain_http`
    /// (false: an `http://` URL must name this machine, the token would cross the network in clear).
    mutating func parseCollector(_ root: TOMLTable) -> CollectorConfig? {
        guard let t = table(root, "collector", at: "") else { return nil }
        checkKeys(t, at: "collector",
                  allowed: ["url", "token_file", "spool", "spool_max_mb", "settle_minutes", "scan_seconds", "history_days",
                            "ca_file", "client_cert", "client_key", "allow_plain_http"])
        var url: URL?
        if let u = string(t, "url", at: "collector", required: true) {
            if let parsed = URL(string: u), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
               parsed.host?.isEmpty == false {
                url = parsed
            } else {
                fail("collector.url", "\"\(u)\" is not an http:// or https:// URL")
            }
        }
        let token = string(t, "token_file", at: "collector").map { resolve($0) }
        let spool = resolve(string(t, "spool", at: "collector") ?? "spool")
        let maxMB = int(t, "spool_max_mb", at: "collector", minimum: 1, maximum: Self.maximumSpoolMB) ?? 256
        let settle = int(t, "settle_minutes", at: "collector", maximum: Self.maximumSettleMinutes) ?? 30
        let scan = int(t, "scan_seconds", at: "collector", minimum: 1, maximum: 86_400) ?? 60
        let history = int(t, "history_days", at: "collector", minimum: 1, maximum: Self.maximumHistoryDays)
            ?? Self.defaultHistoryDays
        var plain = false
        if let value = t["allow_plain_http"] {
            if let b = value.bool { plain = b } else { fail("collector.allow_plain_http", "must be true or false") }
        }
        let tls = CollectorTLS(caFile: pemFile(t, "ca_file"), clientCert: pemFile(t, "client_cert"),
                               clientKey: pemFile(t, "client_key"))
        if (t["client_cert"] == nil) != (t["client_key"] == nil) {
            fail(t["client_cert"] == nil ? "collector.client_key" : "collector.client_cert",
                 "client_cert and client_key go together: give both for mutual TLS, or neither")
        }
        if let given = url, given.scheme?.lowercased() == "http", !plain, !Self.isLoopback(given.host ?? "") {
            fail("collector.url", "http:// would send the agent's token and summaries in clear to \(given.host ?? "?"), "
                 + "which is not this machine: use https:// (with ca_file for a private CA), "
                 + "or set allow_plain_http = true on a network you trust")
            url = nil
        }
        guard let url else { return nil }
        return CollectorConfig(url: url, tokenFile: token, spool: spool, spoolMaxMB: maxMB, settleMinutes: settle,
                               scanSeconds: scan, historyDays: history, tls: tls, allowPlainHTTP: plain)
    }

    /// `history_days`: how far back `run` and `push` decide dates (default a year, at most ten).
    static let defaultHistoryDays = 366
    static let maximumHistoryDays = 3_660

    /// The largest `spool_max_mb`: 1 TiB.
    static let maximumSpoolMB = 1_048_576
    /// The largest `settle_minutes`: a week.
    static let maximumSettleMinutes = 10_080

    /// `[collector] key`: a PEM file that must exist and be readable.
    mutating func pemFile(_ t: TOMLTable, _ key: String) -> URL? {
        guard let path = string(t, key, at: "collector") else { return nil }
        let url = resolve(path)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            fail("collector.\(key)", "cannot read \"\(path)\" (\(url.path))")
            return nil
        }
        return url
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A path relative to the config file's folder.
    func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path).standardizedFileURL
    }
}
