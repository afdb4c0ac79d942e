import Foundation
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

    /// The error `load` throws.
    static func error(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(text, environment: environment)
            return nil
        } catch {
            return error as? ConfigError
        }
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

    @Test func aMissingFileIsNamed() {
        #expect(throws: ConfigError.self) { try CollectorConfig.load(path: "/nonexistent/collector.toml", environment: [:]) }
    }

    @Test func databaseURLs() {
        let dir = URL(fileURLWithPath: "/etc/duty")
        #expect(DatabaseLocation(url: "sqlite:c.sqlite", relativeTo: dir) == .sqlite(path: "/etc/duty/c.sqlite"))
        #expect(DatabaseLocation(url: "sqlite:///var/lib/c.sqlite", relativeTo: dir) == .sqlite(path: "/var/lib/c.sqlite"))
        #expect(DatabaseLocation(url: "postgresql://u@h/d", relativeTo: dir) == .postgres(url: "postgresql://u@h/d"))
        #expect(DatabaseLocation(url: "c.sqlite", relativeTo: dir) == nil)
        #expect(DatabaseLocation(url: "sqlite:", relativeTo: dir) == nil)
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
