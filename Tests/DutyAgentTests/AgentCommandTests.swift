import Testing
@testable import DutyAgent

@Suite struct AgentCommandTests {
    @Test func commandIsNamedDutyAgent() {
        #expect(DutyAgentCommand.configuration.commandName == "duty-agent")
    }
}
