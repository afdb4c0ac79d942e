import Foundation
import Testing
import ConfigSupport

@Suite struct TOMLKeyLocatorTests {
    let text = """
        # comment with key = value
        [site]
        id = "x"
        "quoted key" = 1

        [[shift]]
        code = "a"
        breaks = [
            "12:00-13:00",
        ]
        [[shift]]
        code = "b"
          start="09:00"
        [inputs.more]
        deep = 1
        """

    @Test func findsKeysTablesAndArraysOfTables() {
        let l = TOMLKeyLocator(text: text)
        #expect(l.line(of: "site") == 2)
        #expect(l.line(of: "site.id") == 3)
        #expect(l.line(of: "site.quoted key") == 4)
        #expect(l.line(of: "shift[1]") == 6)
        #expect(l.line(of: "shift[1].breaks") == 8)
        #expect(l.line(of: "shift[2].code") == 12)
        #expect(l.line(of: "shift[2].start") == 13)
        #expect(l.line(of: "inputs.more.deep") == 15)
    }

    @Test func fallsBackToTheEnclosingTable() {
        let l = TOMLKeyLocator(text: text)
        #expect(l.line(of: "shift[2].end") == 11)
        #expect(l.line(of: "site.name") == 2)
        #expect(l.line(of: "collector.url") == nil)
    }
}
