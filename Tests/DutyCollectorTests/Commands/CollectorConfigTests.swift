import Foundation
import Shared
import Testing
@testable import DutyCollector

/// `collector.toml` and the environment overrides.
@Suite struct CollectorConfigTests {
    /// Writes `text` as `collector.toml` in a new folder and loads it with `environment`.
    static func load(_ text: String, environment: [String: String] = [:], files: [String: String] = [:]) throws -> CollectorConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dutywatch-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, content) in files { try content.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let path = dir.appendingPathComponent("collector.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try CollectorConfig.load(path: path, environment: environment, currentDirectory: dir)
    }

    /// Every problem `load` throws (empty when it loads).
    static func errors(_ text: String, environment: [String: String] = [:], files: [String: String] = [:]) -> [ConfigError] {
        do {
            _ = try load(text, environment: environment, files: files)
            return []
        } catch let error as ConfigErrors {
            return error.problems
        } catch {
            Issue.record("load threw \(error), not ConfigErrors")
            return []
        }
    }

    /// The only problem `load` throws (a test failure when there are none or several).
    static func error(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
        let all = errors(text, environment: environment)
        #expect(all.count == 1, "expected one problem, got \(all)")
        return all.first
    }

    @Test func noFileMeansSQLiteInTheCurrentFolder() throws {
        let dir = URL(fileURLWithPath: "/srv/duty")
        let config = try CollectorConfig.load(path: nil, environment: [:], currentDirectory: dir)
        #expect(config.database == .sqlite(path: "/srv/duty/duty-collector.sqlite"))
        #expect(config.server == ServerSettings(host: "127.0.0.1", port: 8080, maxBodyKB: 1024))
        #expect(config.adminTokenHash == nil)
        #expect(config.bulletin.repeatLateEarly == 3)
    }

    @Test func everyKeyIsRead() throws {
        let config = try Self.load(
            """
            [server]
            host = "0.0.0.0"
            port = 9090
            max_body_kb = 256

            [database]
            url = "sqlite:data/collector.sqlite"

            [auth]
            admin_token_file = "admin.token"

            [[reviewer]]
            name = "人事科王敏"
            token_hash = "\(TokenHash.of("reviewer-token-0123456789"))"

            [bulletin]
            repeat_late_early = 4
            """, files: ["admin.token": "  admin-token-0123456789abcdef\n"])
        #expect(config.server == ServerSettings(host: "0.0.0.0", port: 9090, maxBodyKB: 256))
        guard case .sqlite(let path) = config.database else { Issue.record("not sqlite"); return }
        #expect(path.hasSuffix("/data/collector.sqlite"))
        #expect(path.hasPrefix(FileManager.default.temporaryDirectory.path) || path.contains("dutywatch-config-"))
        #expect(config.adminTokenHash == TokenHash.of("admin-token-0123456789abcdef"))
        #expect(config.reviewers == [Reviewer(name: "人事科王敏", tokenHash: TokenHash.of("reviewer-token-0123456789"))])
        #expect(config.bulletin.repeatLateEarly == 4)
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let config = try Self.load(
            """
            [server]
            port = 9090
            """,
            environment: [
                "DUTY_COLLECTOR_HOST": "10.0.0.5", "DUTY_COLLECTOR_PORT": "8181", "DUTY_COLLECTOR_MAX_BODY_KB": "64",
                "DUTY_COLLECTOR_DATABASE_URL": "postgres://duty:secret@db:5432/duty",
                "DUTY_COLLECTOR_ADMIN_TOKEN": "env-admin-token-0123456789",
            ])
        #expect(config.server == ServerSettings(host: "10.0.0.5", port: 8181, maxBodyKB: 64))
        #expect(config.database == .postgres(url: "postgres://duty:secret@db:5432/duty"))
        #expect(config.database.description == "postgres://duty:***@db:5432/duty")
        #expect(config.adminTokenHash == TokenHash.of("env-admin-token-0123456789"))
    }

    @Test func errorsNameTheFileLineAndKey() throws {
        let badPort = try #require(Self.error("""
            # collector
            [server]
            host = "0.0.0.0"
            port = "http"
            """))
        #expect(badPort.key == "server.port")
        #expect(badPort.line == 4)
        #expect(badPort.file.hasSuffix("collector.toml"))
        #expect(badPort.description.contains("collector.toml:4: server.port:"))

        let unknown = try #require(Self.error("[server]\nhots = \"x\"\n"))
        #expect(unknown.key == "server.hots")
        #expect(unknown.line == 2)

        let url = try #require(Self.error("[database]\nurl = \"mysql://x\"\n"))
        #expect(url.key == "database.url")

        let good = TokenHash.of("reviewer-a-token-0123456789")
        let hash = try #require(Self.error("[[reviewer]]\nname = \"a\"\ntoken_hash = \"\(good)\"\n[[reviewer]]\nname = \"b\"\ntoken_hash = \"abc\"\n"))
        #expect(hash.key == "reviewer[2].token_hash")
        #expect(hash.line == 6)
        let missing = try #require(Self.error("[[reviewer]]\nname = \"a\"\n"))
        #expect(missing.key == "reviewer[1].token_hash")
        #expect(missing.line == 1)

        let syntax = try #require(Self.error("[server\nport = 1\n"))
        #expect(syntax.line == 1)

        let bulletin = try #require(Self.error("[bulletin]\n\nrepeat_late_early = 0\n"))
        #expect(bulletin.key == "bulletin.repeat_late_early")
        #expect(bulletin.line == 3)

        let tokenFile = try #require(Self.error("[auth]\nadmin_token_file = \"missing.token\"\n"))
        #expect(tokenFile.key == "auth.admin_token_file")

        let env = try #require(Self.error("", environment: ["DUTY_COLLECTOR_PORT": "99999"]))
        #expect(env.file == "environment")
        #expect(env.key == "DUTY_COLLECTOR_PORT")
    }

    /// One run lists every problem of every section and of the environment, each with its line and
    /// key, in file order, so that a config is fixed in one pass.
    @Test func everyProblemInEverySectionIsListed() throws {
        let good = TokenHash.of("reviewer-a-token-0123456789")
        let problems = Self.errors(
            """
            # collector.toml with a problem in each section
            [server]
            host = "0.0.0.0"
            port = 70000
            tls_cert = "cert.pem"
            idle_timeout_s = "30"
            colour = "blue"

            [database]
            url = "mysql://db/duty"

            [auth]
            admin_token_file = "short.token"

            [[reviewer]]
            name = "人事科王敏"
            token_hash = "\(good)"

            [[reviewer]]
            token_hash = "abc"

            [console]
            idle_minutes = 0
            secure_cookies = "yes"

            [review]
            review_days = 61

            [bulletin]
            repeat_absent = 0
            timezone = "Mars/Base"
            """,
            environment: ["DUTY_COLLECTOR_PORT": "http", "DUTY_COLLECTOR_ADMIN_TOKEN": "short"],
            files: ["short.token": "abc\n"])
        let seen = problems.map { "\($0.line.map(String.init) ?? "-") \($0.key ?? "")" }
        #expect(seen == [
            "4 server.port", "5 server.tls_cert", "6 server.idle_timeout_s", "7 server.colour",
            "10 database.url", "13 auth.admin_token_file",
            "19 reviewer[2].name", "20 reviewer[2].token_hash",
            "23 console.idle_minutes", "24 console.secure_cookies", "27 review.review_days",
            "30 bulletin.repeat_absent", "31 bulletin.timezone",
            "- DUTY_COLLECTOR_PORT", "- DUTY_COLLECTOR_ADMIN_TOKEN",
        ])
        #expect(problems.allSatisfy { $0.file.hasSuffix("collector.toml") || $0.file == "environment" })
        #expect(problems[0].description.hasSuffix("collector.toml:4: server.port: must be from 0 to 65535, got 70000"))
        #expect(problems[13].description == "environment: DUTY_COLLECTOR_PORT: must be a whole number from 0 to 65535, got \"http\"")
        // `reviewer[2]` has no name line of its own: its problem is at the table's header.
        #expect(problems[6].line == 19)
    }

    /// The thrown error reads one problem a line, the way `validate` prints them.
    @Test func theErrorReadsOneProblemALine() {
        let all = Self.errors("[server]\nport = -1\n[review]\nreview_days = 0\n")
        let text = ConfigErrors(all).description
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasPrefix("2 problems:\n"))
        #expect(text.contains("collector.toml:2: server.port: must be from 0 to 65535, got -1\n"))
        #expect(text.hasSuffix("collector.toml:4: review.review_days: must be from 1 to 60 working days, got 0"))
    }

    /// `[review] holidays`: holiday-cn calendars by glob, relative to the config's folder.
    @Test func reviewHolidaysAreReadFromHolidayCNFiles() throws {
        let national = String(decoding: ConsoleHelperTests.nationalDay2026, as: UTF8.self)
        let spring = #"{"year":2027,"days":[{"name":"春节","date":"2027-02-06","isOffDay":true}]}"#
        let config = try Self.load("[review]\nreview_days = 3\nholidays = [\"cal-*.json\"]\n",
                                   files: ["cal-2026.json": national, "cal-2027.json": spring])
        #expect(config.review.reviewDays == 3)
        #expect(config.review.holidays?.files == ["cal-2026.json", "cal-2027.json"])
        let calendar = try #require(config.review.holidays?.calendar)
        #expect(calendar.offDays[CivilDate(year: 2026, month: 10, day: 1)!] == "国庆节")
        #expect(calendar.workDays[CivilDate(year: 2026, month: 10, day: 10)!] == "国庆节")
        #expect(calendar.offDays[CivilDate(year: 2027, month: 2, day: 6)!] == "春节")
        // Without the key: no calendar, Monday to Friday.
        #expect(try Self.load("[review]\nreview_days = 3\n").review.holidays == nil)
    }

    @Test func aBadHolidayFileIsNamedWithItsField() throws {
        let bad = #"{"year":2026,"days":[{"name":"国庆节","date":"2026-13-01","isOffDay":true}]}"#
        let problems = Self.errors("[review]\nholidays = [\"cal.json\", \"missing-*.json\"]\n", files: ["cal.json": bad])
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.allSatisfy { $0.key == "review.holidays" && $0.line == 2 })
        #expect(problems.first?.message.hasPrefix("cal.json: days[0].date: ") == true, "\(problems)")
        #expect(problems.last?.message.hasPrefix("missing-*.json matches no file") == true, "\(problems)")
        #expect(Self.error("[review]\nholidays = \"cal.json\"\n")?.message.hasPrefix("must be a list") == true)
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: ConfigErrors([ConfigError(file: "/nonexistent/collector.toml",
                                                   message: "cannot read the config file (no such file)")])) {
            try CollectorConfig.load(path: "/nonexistent/collector.toml", environment: [:])
        }
    }

    @Test func databaseURLs() {
        let dir = URL(fileURLWithPath: "/etc/duty")
        #expect(DatabaseLocation(url: "sqlite:c.sqlite", relativeTo: dir) == .sqlite(path: "/etc/duty/c.sqlite"))
        #expect(DatabaseLocation(url: "sqlite:///var/lib/c.sqlite", relativeTo: dir) == .sqlite(path: "/var/lib/c.sqlite"))
        #expect(DatabaseLocation(url: "postgresql://u@h/d", relativeTo: dir) == .postgres(url: "postgresql://u@h/d"))
        #expect(DatabaseLocation(url: "c.sqlite", relativeTo: dir) == nil)
        #expect(DatabaseLocation(url: "sqlite:", relativeTo: dir) == nil)
    }

    @Test func aRefusedDatabaseURLIsEchoedWithoutItsPassword() {
        let fromEnvironment = Self.errors("", environment: ["DUTY_COLLECTOR_DATABASE_URL": "postgre://duty:s3cret@db:5432/duty"])
        #expect(fromEnvironment.map(\.message).joined().contains("postgre://duty:***@db:5432/duty"))
        #expect(!fromEnvironment.map(\.message).joined().contains("s3cret"))
        let fromFile = Self.errors("[database]\nurl = \"mysql://root:hunter2@h/d\"\n")
        #expect(fromFile.map(\.message).joined().contains("mysql://root:***@h/d"))
        #expect(!fromFile.map(\.message).joined().contains("hunter2"))
        #expect(DatabaseLocation.masked("sqlite:/var/lib/c.sqlite") == "sqlite:/var/lib/c.sqlite")
        #expect(DatabaseLocation.masked("postgres://u@h/d") == "postgres://u@h/d")
    }

    @Test func tokensAreRandomAndOnlyTheirHashIsKept() {
        let a = TokenHash.generate()
        let b = TokenHash.generate()
        #expect(a != b)
        #expect(a.count == 43)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(TokenHash.isHash(TokenHash.of(a)))
        #expect(TokenHash.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
