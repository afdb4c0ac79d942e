import Shared
import Testing
@testable import DutyCollector

/// The registration rules live in one domain type; the API and `agents add` only translate its problems.
@Suite struct AgentRegistrationTests {
    @Test func checksTheIdAndTheUnits() throws {
        let r = try AgentRegistration(id: " office-a ", units: ["市场监管局/执法大队", "市场监管局/办公室"])
        #expect(r.id == "office-a" && r.units.map(\.description) == ["市场监管局/执法大队", "市场监管局/办公室"])
        #expect(throws: AgentRegistration.Problem.missingID) { try AgentRegistration(id: "  ", units: ["局"]) }
        #expect(throws: AgentRegistration.Problem.invalidID) { try AgentRegistration(id: "a/b", units: ["局"]) }
        #expect(throws: AgentRegistration.Problem.noUnits) { try AgentRegistration(id: "a", units: []) }
        #expect(throws: AgentRegistration.Problem.emptyUnit(index: 1)) { try AgentRegistration(id: "a", units: ["局", "/"]) }
        #expect(AgentRegistration.Problem.emptyUnit(index: 1).field == "units[1]")
    }

    @Test func agentsAddSpeaksOfItsOptions() async throws {
        let add = try #require(try DutyCollectorCommand.parseAsRoot(["agents", "add", "--id", "a"]) as? AgentsCommand.Add)
        await #expect { try await add.run() } throws: { "\($0)".contains("--units is missing") }
    }
}
