import Foundation
import Testing
@testable import DutyAgent
import Shared

/// The real duty-agent over HTTPS to a TLS server started by the test, with certificates made by
/// openssl: the right private CA is accepted, a wrong one refused with nothing sent and the reason
/// in `status`, mutual TLS with and without a client certificate, and plain HTTP to a host that is
/// not this machine refused.
@Suite(.serialized, .timeLimit(.minutes(3)),
       .enabled(if: (E2E.agent != nil && TestCertificates.available) || E2E.isCI, "duty-agent or openssl missing"))
struct AgentTLSTests {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("duty-tls-\(UUID().uuidString.prefix(8))")

    func office(_ label: String, url: URL, collectorKeys: String) throws -> TestOffice {
        let office = try TestOffice(folder: work.appendingPathComponent(label), collectorURL: url, token: "tls-office-token")
        let config = URL(fileURLWithPath: office.configPath)
        let text = try String(contentsOf: config, encoding: .utf8) + collectorKeys
        try Data(text.utf8).write(to: config)
        return office
    }

    func agent(_ arguments: [String], _ office: TestOffice) async throws -> (status: Int32, stdout: String, stderr: String) {
        guard let agent = E2E.agent else { throw E2EFailure("duty-agent is not built") }
        return try await ChildProcess.execute(agent, arguments + ["--config", office.configPath], folder: office.folder,
                                              label: "agent-\(arguments[0])-\(UUID().uuidString.prefix(4))")
    }

    func cleanUp() {
        if ProcessInfo.processInfo.environment["DUTY_E2E_KEEP"] == nil { try? FileManager.default.removeItem(at: work) }
    }

    @Test func thePrivateCAIsTrustedAndAnotherCAOrTheSystemStoreIsRefusedWithNothingSent() async throws {
        defer { cleanUp() }
        let certificates = try TestCertificates(folder: work.appendingPathComponent("certs"))
        let server = try await TLSTestServer(certificates, requireClientCertificate: false)
        defer { server.stop() }

        let wrong = try office("wrong", url: server.url, collectorKeys: "ca_file = \"\(certificates.wrongCA.path)\"\n")
        let refused = try await agent(["push", "--attempts", "2"], wrong)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr.suffix(1500))")
        #expect(refused.stderr.contains("did not verify against ca_file"), "\(refused.stderr.suffix(1500))")
        #expect(server.requests.isEmpty, "nothing reached the server: \(server.requests)")
        #expect(AgentDeliverySecurityTests.waiting(wrong).count == 8)
        let status = try await agent(["status"], wrong)
        #expect(status.stdout.contains("last failure: the collector's certificate did not verify"), "\(status.stdout)")

        let system = try office("system", url: server.url, collectorKeys: "")
        let untrusted = try await agent(["push", "--attempts", "1"], system)
        #expect(untrusted.status == 1 && untrusted.stderr.contains("the system's trust store"), "\(untrusted.stderr.suffix(1500))")
        #expect(server.requests.isEmpty)

        let right = try office("right", url: server.url, collectorKeys: "ca_file = \"\(certificates.ca.path)\"\n")
        let push = try await agent(["push"], right)
        #expect(push.status == 0, "\(push.stdout) \(push.stderr.suffix(1500))")
        #expect(push.stdout.contains("sent 8") && push.stdout.contains("left 0"), "\(push.stdout)")
        #expect(server.requests.count == 8)
        #expect(server.requests.allSatisfy { $0.contains("Bearer tls-office-token") })
    }

    @Test func mutualTLSIsRefusedWithoutAClientCertificateAndAcceptedWithOne() async throws {
        defer { cleanUp() }
        let certificates = try TestCertificates(folder: work.appendingPathComponent("certs"))
        let server = try await TLSTestServer(certificates, requireClientCertificate: true)
        defer { server.stop() }

        let without = try office("without", url: server.url, collectorKeys: "ca_file = \"\(certificates.ca.path)\"\n")
        let refused = try await agent(["push", "--attempts", "2"], without)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr.suffix(1500))")
        #expect(server.requests.isEmpty, "nothing was sent without a client certificate: \(server.requests)")
        #expect(AgentDeliverySecurityTests.waiting(without).count == 8)
        let status = try await agent(["status"], without)
        #expect(status.stdout.contains("last failure:") && status.stdout.contains("TLS"), "\(status.stdout)")

        let with = try office("with", url: server.url, collectorKeys: """
            ca_file = "\(certificates.ca.path)"
            client_cert = "\(certificates.clientCert.path)"
            client_key = "\(certificates.clientKey.path)"

            """)
        let push = try await agent(["push"], with)
        #expect(push.status == 0, "\(push.stdout) \(push.stderr.suffix(1500))")
        #expect(server.requests.count == 8)
    }

    @Test func plainHTTPToAHostThatIsNotThisMachineIsRefusedUnlessAllowed() async throws {
        defer { cleanUp() }
        let remote = URL(string: "http://192.0.2.10:8080")!
        let refused = try office("plain", url: remote, collectorKeys: "")
        let push = try await agent(["push"], refused)
        #expect(push.status == 1)
        #expect(push.stderr.contains("collector.url") && push.stderr.contains("allow_plain_http"), "\(push.stderr)")
        let validate = try await agent(["validate"], refused)
        #expect(validate.status == 1 && (validate.stdout + validate.stderr).contains("allow_plain_http"),
                "\(validate.stdout) \(validate.stderr)")
        #expect(AgentDeliverySecurityTests.waiting(refused).isEmpty, "nothing was even spooled")

        let allowed = try office("allowed", url: remote, collectorKeys: "allow_plain_http = true\n")
        let check = try await agent(["validate"], allowed)
        #expect(!(check.stdout + check.stderr).contains("allow_plain_http"), "\(check.stdout) \(check.stderr)")
        #expect(DutyAgent.AgentConfigParser.isLoopback("127.0.0.1") && DutyAgent.AgentConfigParser.isLoopback("localhost")
                && DutyAgent.AgentConfigParser.isLoopback("::1") && !DutyAgent.AgentConfigParser.isLoopback("192.0.2.10")
                && !DutyAgent.AgentConfigParser.isLoopback("127.example.com"))
    }
}
