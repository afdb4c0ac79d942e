import Testing
@testable import DutyCollector

@Suite struct CollectorCommandTests {
    @Test func commandIsNamedDutyCollector() {
        #expect(DutyCollectorCommand.configuration.commandName == "duty-collector")
    }
}
