import Foundation
import NIOSSL
import Testing
@testable import DutyCollector

/// `[server]` TLS, time-out and connection keys, and the PostgreSQL URL's TLS modes.
@Suite struct ServerSettingsTests {
    @Test func theSecurityKeysAreRead() throws {
        let config = try CollectorConfigTests.load("""
            [server]
            host = "0.0.0.0"
            tls_cert = "tls/chain.pem"
            tls_key = "/etc/duty/server.key"
            allow_plain_http = true
            idle_timeout_s = 5
            body_timeout_s = 20
            max_connections = 300
            max_connections_per_address = 7
            """)
        let tls = try #require(config.server.tls)
        #expect(tls.certificate.hasSuffix("/tls/chain.pem") && tls.certificate.hasPrefix("/"))
        #expect(tls.key == "/etc/duty/server.key")
        #expect(tls.certificateLine == 3 && tls.keyLine == 4)
        #expect(config.server.allowPlainHTTP)
        #expect(config.server.idleTimeoutSeconds == 5 && config.server.bodyTimeoutSeconds == 20)
        #expect(config.server.maxConnections == 300 && config.server.maxConnectionsPerAddress == 7)
        #expect(!config.server.listensOnLoopbackOnly)
        // Serving HTTPS itself, the collector never lets the session cookie travel in clear.
        #expect(config.console.secureCookies)
    }

    @Test func defaultsAreSafe() throws {
        let server = try CollectorConfigTests.load("").server
        #expect(server.tls == nil && !server.allowPlainHTTP && server.listensOnLoopbackOnly)
        #expect(server.idleTimeoutSeconds == 30 && server.bodyTimeoutSeconds == 60)
        #expect(server.maxConnections == 1_000 && server.maxConnectionsPerAddress == 100)
        #expect(try !CollectorConfigTests.load("").console.secureCookies)
    }

    @Test func badValuesNameTheKey() {
        let half = CollectorConfigTests.error("[server]\ntls_key = \"k.pem\"\n")
        #expect(half?.key == "server.tls_key" && half?.line == 2)
        #expect(CollectorConfigTests.error("[server]\nallow_plain_http = \"yes\"\n")?.key == "server.allow_plain_http")
        let zero = CollectorConfigTests.error("[server]\nidle_timeout_s = 0\n")
        #expect(zero?.key == "server.idle_timeout_s" && zero?.line == 2)
        #expect(CollectorConfigTests.error("[server]\nmax_connections = -1\n")?.key == "server.max_connections")
    }

    @Test func theEnvironmentSetsTLSAndPlainHTTP() throws {
        let config = try CollectorConfigTests.load("", environment: [
            "DUTY_COLLECTOR_TLS_CERT": "/etc/duty/chain.pem", "DUTY_COLLECTOR_TLS_KEY": "key.pem",
            "DUTY_COLLECTOR_ALLOW_PLAIN_HTTP": "true",
        ])
        #expect(config.server.tls?.certificate == "/etc/duty/chain.pem")
        #expect(config.server.tls?.key.hasSuffix("/key.pem") == true)
        #expect(config.server.tls?.fromEnvironment == true)
        #expect(config.server.allowPlainHTTP)
        #expect(CollectorConfigTests.error("", environment: ["DUTY_COLLECTOR_TLS_KEY": "k.pem"])?.key == "DUTY_COLLECTOR_TLS_CERT")
        #expect(CollectorConfigTests.error("", environment: ["DUTY_COLLECTOR_ALLOW_PLAIN_HTTP": "yes"])?.key
                == "DUTY_COLLECTOR_ALLOW_PLAIN_HTTP")
        // A missing file named by the environment is reported against the variable.
        let files = try #require(config.server.tls)
        #expect(throws: ConfigError.self) { try ServerSetup.tlsConfiguration(files, file: nil) }
        do {
            _ = try ServerSetup.tlsConfiguration(files, file: nil)
        } catch let e as ConfigError {
            #expect(e.file == "environment" && e.key == "DUTY_COLLECTOR_TLS_CERT")
        }
    }

    @Test func plainHTTPOffLoopbackIsRefusedUnlessAllowed() throws {
        var settings = ServerSettings()
        try ServerSetup.checkPlainHTTP(settings, file: "c.toml", logger: .init(label: "t"))
        settings.host = "0.0.0.0"
        #expect(throws: ConfigError.self) { try ServerSetup.checkPlainHTTP(settings, file: "c.toml", logger: .init(label: "t")) }
        settings.allowPlainHTTP = true
        try ServerSetup.checkPlainHTTP(settings, file: "c.toml", logger: .init(label: "t"))
        settings.allowPlainHTTP = false
        settings.tls = TLSFiles(certificate: "/c.pem", key: "/k.pem")
        try ServerSetup.checkPlainHTTP(settings, file: "c.toml", logger: .init(label: "t"))
        for host in ["127.0.0.1", "127.0.1.1", "::1", "localhost"] {
            #expect(ServerSettings(host: host).listensOnLoopbackOnly, "\(host)")
        }
    }

    @Test func postgresTLSNeverFallsBackSilently() throws {
        #expect(try PostgresURL("postgres://u@127.0.0.1/db").tlsMode == .disable)
        #expect(try PostgresURL("postgres://u@db.internal/db").tlsMode == .verifyFull)
        #expect(try PostgresURL("postgres://u@db.internal/db?sslmode=require").tlsMode == .require)
        #expect(try PostgresURL("postgres://u@db.internal/db?sslmode=verify-ca&sslrootcert=/ca.pem").rootCertificate == "/ca.pem")
        #expect(try PostgresURL("postgres://u@db.internal/db?sslmode=disable").tlsConfiguration == nil)
        #expect(try PostgresURL("postgres://u@db.internal/db").tlsConfiguration?.certificateVerification == .fullVerification)
        #expect(try PostgresURL("postgres://u@db.internal/db?sslmode=require").tlsConfiguration?.certificateVerification == CertificateVerification.none)
        for mode in ["prefer", "allow", "bogus"] {
            #expect(throws: StoreError.self) { try PostgresURL("postgres://u@db.internal/db?sslmode=\(mode)") }
        }
    }

    @Test("TLS required of a server that offers none is an error, not a plain connection",
          .enabled(if: StorageBackend.postgresURL != nil))
    func requiredTLSIsNotDowngraded() async throws {
        let server = try #require(StorageBackend.postgresURL)
        // The test server runs without TLS: asking for it must fail, not fall back.
        await #expect(throws: (any Error).self) {
            let store = try await PostgresStore.open(url: server + "?sslmode=require", timeout: .seconds(10))
            await store.close()
        }
    }
}
