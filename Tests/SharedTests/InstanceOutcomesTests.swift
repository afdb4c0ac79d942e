import Testing
@testable import Shared

/// The compact outcome store gives back every outcome as it was appended: person, unit, date,
/// shift, duty and status, whatever order persons, units and shifts come in.
@Suite struct InstanceOutcomesTests {
    static func outcome(_ person: String, _ unit: String, _ day: Int, _ shift: String, duty: Bool = false,
                        _ status: InstanceOutcome.Status) -> InstanceOutcome {
        InstanceOutcome(person: person, unit: UnitPath(unit), date: CivilDate(dayNumber: day), shift: shift,
                        duty: duty, status: status)
    }

    let outcomes = [
        outcome("1001", "局/办公室", 20_000, "day", .present),
        outcome("1001", "局/办公室", 20_000, "night", duty: true, .absent),
        outcome("1001", "局/财务科", 20_001, "day", .excused),
        outcome("1002", "局/办公室", 20_001, "day", .pending),
        outcome("1001", "局/办公室", -3, "夜班", duty: true, .unverified),
        outcome("1003", "局", 20_002, "day", .present),
    ]

    @Test func everyFieldOfEveryOutcomeComesBack() {
        let table = InstanceOutcomes(outcomes)
        #expect(Array(table) == outcomes)
        #expect(table.count == 6)
        #expect(table.personIDs == ["1001", "1002", "1003"])
        #expect(table.units.map(\.description) == ["局/办公室", "局/财务科", "局"])
        #expect(table.shiftCodes == ["day", "night", "夜班"])
        #expect(table.indices.map { table.status(at: $0) } == outcomes.map(\.status))
        #expect(table.indices.map { table.date(at: $0) } == outcomes.map(\.date))
        #expect(table.indices.map { table.units[table.unitIndex(at: $0)] } == outcomes.map(\.unit))
    }

    @Test func outcomesCanBeReplacedReorderedAndCompared() {
        var table: InstanceOutcomes = [outcomes[0], outcomes[1]]
        table.append(outcomes[2])
        table[0] = outcomes[5]
        #expect(Array(table) == [outcomes[5], outcomes[1], outcomes[2]])
        table.reverse()
        #expect(Array(table) == [outcomes[2], outcomes[1], outcomes[5]])
        #expect(table == InstanceOutcomes([outcomes[2], outcomes[1], outcomes[5]]))
        #expect(table != InstanceOutcomes([outcomes[2], outcomes[1]]))
        #expect(InstanceOutcomes().isEmpty)
    }

    @Test func anEvaluationTakesAnArrayOfOutcomes() {
        let e = Evaluation(anomalies: [], quality: [], instances: outcomes)
        #expect(Array(e.instances) == outcomes)
        #expect(Evaluation(anomalies: [], quality: [], instances: []).instances.isEmpty)
    }
}
