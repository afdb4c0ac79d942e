import Testing
@testable import ConfigSupport

/// The one TOML entry point both programs' config readers use.
@Suite struct TOMLDocumentTests {
    @Test func parsesAndLocatesKeys() throws {
        let doc = try TOMLDocument.parse(text: "[server]\nport = 8080\n", file: "collector.toml")
        #expect(doc.root["server"]?.table?["port"]?.int == 8080)
        #expect(doc.problem("server.port", "must be from 0 to 65535").description
            == "collector.toml:2: server.port: must be from 0 to 65535")
    }

    @Test func aSyntaxErrorIsALocatedError() {
        #expect {
            _ = try TOMLDocument.parse(text: "[server]\nport = \n", file: "c.toml")
        } throws: { error in
            guard let e = error as? LocatedError else { return false }
            return e.file == "c.toml" && e.line == 2 && e.message.hasPrefix("not valid TOML")
        }
    }
}
