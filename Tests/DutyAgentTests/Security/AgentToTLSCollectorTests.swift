import Foundation
import Testing
@testable import DutyAgent
import Shared

/// The real duty-agent pushing to the real duty-collector serving HTTPS (`[server] tls_cert` and
/// `tls_key`) with a private CA made by openssl for the test: told the CA, every date arrives and
/// is stored; told another CA, nothing is sent, the reason is in `status`, and the collector holds
/// nothing until the right CA is configured.
@Suite(.serialized, .timeLimit(.minutes(3)),
       .enabled(if: (E2E.agent != nil && E2E.collector != nil && TestCertificates.available) || E2E.isCI,
                "duty-agent, duty-collector or openssl missing"))
struct AgentToTLSCollectorTests {
    @Test func anAgentDeliversToAnHTTPSCollectorOnlyThroughTheOrganisationsOwnCA() async throws {
        let (agent, collectorBinary) = try E2E.binaries()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("duty-tls-pair-\(UUID().uuidString.prefix(8))")
        defer { if ProcessInfo.processInfo.environment["DUTY_E2E_KEEP"] == nil { try? FileManager.default.removeItem(at: work) } }
        let certificates = try TestCertificates(folder: work.appendingPathComponent("certs"))
        let collector = try CollectorUnderTest(binary: collectorBinary, folder: work.appendingPathComponent("collector"),
                                               tls: (certificates.serverCert, certificates.serverKey, certificates.ca))
        let token = try collector.addAgent(id: TestOffice.siteID, units: [TestOffice.rootUnit])
        try await collector.start()
        defer { collector.stop() }
        #expect(collector.url.scheme == "https")

        func office(_ label: String, ca: URL) throws -> TestOffice {
            let office = try TestOffice(folder: work.appendingPathComponent(label), collectorURL: collector.url, token: token)
            let config = URL(fileURLWithPath: office.configPath)
            try Data((try String(contentsOf: config, encoding: .utf8) + "ca_file = \"\(ca.path)\"\n").utf8).write(to: config)
            return office
        }
        func run(_ arguments: [String], _ office: TestOffice) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await ChildProcess.execute(agent, arguments + ["--config", office.configPath], folder: office.folder,
                                           label: "agent-\(arguments[0])-\(UUID().uuidString.prefix(4))")
        }
        func storedScheduled() async throws -> Int {
            let office = try TestOffice(folder: work.appendingPathComponent("dates"), collectorURL: collector.url, token: nil)
            let r = try await collector.getOverTLS("/api/v1/units?from=\(office.from)&to=\(office.to)")
            #expect(r.status == 200, "\(String(decoding: r.body, as: UTF8.self))")
            struct Units: Decodable { struct Unit: Decodable { var unit: String; var scheduled: Int }; var units: [Unit] }
            return try JSONDecoder().decode(Units.self, from: r.body).units.first { $0.unit == TestOffice.rootUnit }?.scheduled ?? 0
        }

        let wrong = try office("wrong", ca: certificates.wrongCA)
        let refused = try await run(["push", "--attempts", "2"], wrong)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr.suffix(1500))")
        #expect(refused.stderr.contains("did not verify against ca_file"), "\(refused.stderr.suffix(1500))")
        let status = try await run(["status"], wrong)
        #expect(status.stdout.contains("certificate did not verify"), "\(status.stdout)")
        #expect(try await storedScheduled() == 0, "nothing reached the collector's store")

        let right = try office("right", ca: certificates.ca)
        let push = try await run(["push"], right)
        #expect(push.status == 0, "\(push.stdout) \(push.stderr.suffix(1500))")
        #expect(push.stdout.contains("sent 8") && push.stdout.contains("left 0"), "\(push.stdout)")
        let expected = try await run(["check", "--format", "json", "--from", "\(right.from)", "--to", "\(right.to)"], right)
        struct Check: Decodable {
            struct Totals: Decodable { struct Instances: Decodable { var scheduled: Int }; var instances: Instances }
            var totals: Totals
        }
        let agentScheduled = try JSONDecoder().decode(Check.self, from: Data(expected.stdout.utf8)).totals.instances.scheduled
        #expect(agentScheduled > 0)
        #expect(try await storedScheduled() == agentScheduled, "the collector holds the agent's figures")
    }
}
