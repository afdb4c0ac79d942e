import ConfigSupport
import Foundation
import Shared
import TOMLKit

/// Turns the text of `collector.toml` into a `CollectorConfig`, collecting every unknown key and
/// bad value with the file, line and key (as the agent's `validate` does), so that one run lists
/// everything to fix. A bad value keeps the key's default and the parse goes on.
struct CollectorConfigParser {
    let file: String
    let directory: URL
    let text: String
    /// Everything wrong found so far, in the order found.
    private(set) var problems: [ConfigError] = []
    private let locator: TOMLKeyLocator

    /// Prepares to parse `text`, read from `file` in `directory`.
    init(file: String, directory: URL, text: String) {
        self.file = file
        self.directory = directory
        self.text = text
        self.locator = TOMLKeyLocator(text: text)
    }

    /// The configuration with every good key applied; nil when the text is not TOML. Check
    /// `problems`: a config with problems must not be used.
    mutating func parse() -> CollectorConfig? {
        let document: TOMLDocument
        do {
            document = try TOMLDocument.parse(text: text, file: file)
        } catch {
            problems.append(error)
            return nil
        }
        let root = document.root
        var config = CollectorConfig.defaults(directory: directory)
        config.file = file
        allow(root, ["server", "database", "auth", "reviewer", "bulletin", "console", "review"], in: nil)
        parseServer(root, into: &config)
        if let database = table(root, "database") {
            allow(database, ["url"], in: "database")
            if let url = string(database, "url", in: "database") {
                if let location = DatabaseLocation(url: url, relativeTo: directory) {
                    config.database = location
                } else {
                    fail("database.url", "must be sqlite:FILE or postgres://…, got \"\(DatabaseLocation.masked(url))\"")
                }
            }
        }
        if let auth = table(root, "auth") {
            allow(auth, ["admin_token_file"], in: "auth")
            if let path = string(auth, "admin_token_file", in: "auth"), let token = readToken(path, key: "auth.admin_token_file") {
                config.adminTokenHash = TokenHash.of(token)
            }
        }
        parseReviewers(root, into: &config)
        parseConsole(root, into: &config)
        let (bulletin, bulletinProblems) = BulletinSettings.read(document)
        config.bulletin = bulletin
        problems += bulletinProblems
        return config
    }

    /// `[server]`.
    private mutating func parseServer(_ root: TOMLTable, into config: inout CollectorConfig) {
        guard let server = table(root, "server") else { return }
        allow(server, ["host", "port", "max_body_kb", "tls_cert", "tls_key", "allow_plain_http", "idle_timeout_s",
                       "body_timeout_s", "max_connections", "max_connections_per_address"], in: "server")
        if let host = string(server, "host", in: "server") {
            if host.isEmpty { fail("server.host", "must not be empty") } else { config.server.host = host }
        }
        if let port = int(server, "port", in: "server") {
            if (0...65535).contains(port) { config.server.port = port } else { fail("server.port", "must be from 0 to 65535, got \(port)") }
        }
        if let kb = int(server, "max_body_kb", in: "server") {
            if kb > 0 { config.server.maxBodyKB = kb } else { fail("server.max_body_kb", "must be positive, got \(kb)") }
        }
        let cert = string(server, "tls_cert", in: "server")
        let key = string(server, "tls_key", in: "server")
        switch (cert, key, server["tls_cert"] != nil, server["tls_key"] != nil) {
        case (let cert?, let key?, _, _):
            config.server.tls = TLSFiles(certificate: resolve(cert), key: resolve(key),
                                         certificateLine: locator.line(of: "server.tls_cert"),
                                         keyLine: locator.line(of: "server.tls_key"))
        case (_, _, false, true): fail("server.tls_key", "needs server.tls_cert too")
        case (_, _, true, false): fail("server.tls_cert", "needs server.tls_key too")
        default: break  // neither, or one of them already reported as not a string
        }
        if let value = server["allow_plain_http"] {
            if let flag = value.bool { config.server.allowPlainHTTP = flag } else { fail("server.allow_plain_http", "must be true or false") }
        }
        let counts: [(String, WritableKeyPath<ServerSettings, Int>, ClosedRange<Int>)] = [
            ("idle_timeout_s", \ServerSettings.idleTimeoutSeconds, 1...3600),
            ("body_timeout_s", \ServerSettings.bodyTimeoutSeconds, 1...3600),
            ("max_connections", \ServerSettings.maxConnections, 1...1_000_000),
            ("max_connections_per_address", \ServerSettings.maxConnectionsPerAddress, 1...1_000_000),
        ]
        for (key, path, range) in counts {
            guard let n = int(server, key, in: "server") else { continue }
            if range.contains(n) {
                config.server[keyPath: path] = n
            } else {
                fail("server.\(key)", "must be from \(range.lowerBound) to \(range.upperBound), got \(n)")
            }
        }
    }

    /// `[[reviewer]]`: a reviewer with a problem is left out (and reported).
    private mutating func parseReviewers(_ root: TOMLTable, into config: inout CollectorConfig) {
        guard let value = root["reviewer"] else { return }
        guard let array = value.array else { return fail("reviewer", "must be [[reviewer]] tables") }
        for (i, element) in array.enumerated() {
            let key = "reviewer[\(i + 1)]"
            guard let t = element.table else {
                fail(key, "must be a table")
                continue
            }
            allow(t, ["name", "token_hash"], in: key)
            let name = string(t, "name", in: key)
            let hash = string(t, "token_hash", in: key)
            if t["name"] == nil || name?.isEmpty == true { fail("\(key).name", "is required") }
            if t["token_hash"] == nil {
                fail("\(key).token_hash", "is required")
            } else if let hash, !TokenHash.isHash(hash.lowercased()) {
                fail("\(key).token_hash", "must be 64 hex digits (the SHA-256 of the token)")
            }
            if let name, !name.isEmpty, let hash, TokenHash.isHash(hash.lowercased()) {
                config.reviewers.append(Reviewer(name: name, tokenHash: hash.lowercased()))
            }
        }
    }

    /// `[console]` and `[review]`.
    private mutating func parseConsole(_ root: TOMLTable, into config: inout CollectorConfig) {
        if let console = table(root, "console") {
            allow(console, ["idle_minutes", "absolute_hours", "secure_cookies"], in: "console")
            if let minutes = int(console, "idle_minutes", in: "console") {
                if (1...1440).contains(minutes) {
                    config.console.idleMinutes = minutes
                } else {
                    fail("console.idle_minutes", "must be from 1 to 1440, got \(minutes)")
                }
            }
            if let hours = int(console, "absolute_hours", in: "console") {
                if (1...168).contains(hours) {
                    config.console.absoluteHours = hours
                } else {
                    fail("console.absolute_hours", "must be from 1 to 168, got \(hours)")
                }
            }
            if let value = console["secure_cookies"] {
                if let secure = value.bool { config.console.secureCookies = secure } else { fail("console.secure_cookies", "must be true or false") }
            }
        }
        if let review = table(root, "review") {
            allow(review, ["review_days", "holidays"], in: "review")
            if let days = int(review, "review_days", in: "review") {
                if (1...60).contains(days) {
                    config.review.reviewDays = days
                } else {
                    fail("review.review_days", "must be from 1 to 60 working days, got \(days)")
                }
            }
            parseHolidays(review, into: &config.review)
        }
    }

    /// `[review] holidays = ["holidays/*.json"]`: holiday-cn calendars (the agent's format), paths or
    /// globs relative to the config's folder, so that official days off (National Day week) do not
    /// count as working days and make-up working days (调休) do. A pattern that matches no file, or a
    /// file that is not holiday-cn JSON, is a problem naming the file and the field.
    private mutating func parseHolidays(_ review: TOMLTable, into settings: inout ReviewSettings) {
        guard let value = review["holidays"] else { return }
        guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
            return fail("review.holidays", "must be a list of paths or globs (holidays = [\"holidays/*.json\"])")
        }
        var calendars: [HolidayCalendar] = []
        var names: [String] = []
        for pattern in array.compactMap(\.string) {
            let files = PathGlob.files(matching: pattern, in: directory)
            if files.isEmpty {
                fail("review.holidays", "\(pattern) matches no file (relative to \(directory.path))")
                continue
            }
            for file in files where !names.contains(file.display) {
                let data: Data
                do {
                    data = try Data(contentsOf: file.url)
                } catch {
                    fail("review.holidays", "\(file.display): cannot read the holiday file (\(CollectorConfig.reason(error)))")
                    continue
                }
                do throws(HolidayCN.Problem) {
                    calendars.append(try HolidayCN.parse(data))
                    names.append(file.display)
                } catch {
                    fail("review.holidays", "\(file.display): " + (error.field.map { "\($0): " } ?? "") + error.message)
                }
            }
        }
        if !names.isEmpty {
            settings.holidays = ReviewHolidays(calendar: HolidayCN.merge(calendars), files: names)
        }
    }

    // MARK: Helpers

    /// Records a problem with `key` (a full key such as `reviewer[2].token_hash`) at its line.
    private mutating func fail(_ key: String, _ message: String) {
        problems.append(ConfigError(file: file, line: locator.line(of: key), key: key, message: message))
    }

    private func path(_ key: String, in table: String?) -> String { table.map { "\($0).\(key)" } ?? key }

    /// Reports every key of `table` not in `keys`.
    private mutating func allow(_ table: TOMLTable, _ keys: Set<String>, in name: String?) {
        for key in table.keys.sorted() where !keys.contains(key) {
            fail(path(key, in: name), "unknown key (expected one of: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    /// The table `[key]`; nil (reported) when it is something else.
    private mutating func table(_ root: TOMLTable, _ key: String) -> TOMLTable? {
        guard let value = root[key] else { return nil }
        guard let t = value.table else {
            fail(key, "must be a table ([\(key)])")
            return nil
        }
        return t
    }

    /// The string at `key`; nil when absent or (reported) not a string.
    private mutating func string(_ table: TOMLTable, _ key: String, in name: String?) -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else {
            fail(path(key, in: name), "must be a string")
            return nil
        }
        return s
    }

    /// The whole number at `key`; nil when absent or (reported) not a whole number.
    private mutating func int(_ table: TOMLTable, _ key: String, in name: String?) -> Int? {
        guard let value = table[key] else { return nil }
        guard value.type == .int, let n = value.int else {
            fail(path(key, in: name), "must be a whole number")
            return nil
        }
        return n
    }

    /// An absolute path: `path` itself, or relative to the config's folder.
    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardized.path
    }

    /// Reads a token file relative to the config's folder; the token is its trimmed content, nil
    /// (reported) when it cannot be read or is too short.
    private mutating func readToken(_ path: String, key: String) -> String? {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            fail(key, "cannot read the token file \(url.path)")
            return nil
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else {
            fail(key, "the token in \(url.path) must be at least 16 characters")
            return nil
        }
        return token
    }
}
