import Testing
@testable import ConfigSupport

/// The list of every problem a config reader found in one pass.
@Suite struct LocatedErrorsTests {
    @Test func problemsAreInLineOrderWithTheEnvironmentLast() {
        let found = [
            LocatedError(file: "environment", field: "DUTY_COLLECTOR_PORT", message: "bad"),
            LocatedError(file: "c.toml", line: 9, field: "review.review_days", message: "too many"),
            LocatedError(file: "c.toml", message: "no line"),
            LocatedError(file: "c.toml", line: 2, field: "server.colour", message: "unknown key"),
            LocatedError(file: "c.toml", line: 2, field: "server.port", message: "second at line 2"),
        ]
        let errors = LocatedErrors(found)
        #expect(errors.problems.map(\.message) == ["unknown key", "second at line 2", "too many", "no line", "bad"])
        #expect(errors.description == """
            5 problems:
            c.toml:2: server.colour: unknown key
            c.toml:2: server.port: second at line 2
            c.toml:9: review.review_days: too many
            c.toml: no line
            environment: DUTY_COLLECTOR_PORT: bad
            """)
    }

    @Test func oneProblemReadsAsItself() {
        let one = LocatedError(file: "c.toml", line: 4, field: "server.port", message: "must be a whole number")
        #expect(LocatedErrors([one]).description == "c.toml:4: server.port: must be a whole number")
    }
}
