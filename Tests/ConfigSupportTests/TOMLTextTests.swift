import ConfigSupport
import Testing
import TOMLKit

/// The guard in front of TOMLKit: every table name or key form that aborted both programs inside
/// toml++ (`parse_key`) is an error with its line; quoted names still parse.
@Suite struct TOMLTextTests {
    static let crashing: [(text: String, line: Int)] = [
        ("[办公室]\n", 1), ("a = 1\n\n[é]\n", 3), ("[Ａ]\n", 1), ("[\u{301}x]\n", 1), ("[[办公室]]\n", 1),
        ("[ 办公室 ]\n", 1), ("[[ é ]]\n", 1), ("[!]\n", 1), ("# 注释\n[site]\n[办公室.x]\n", 3),
        ("[#x]\n", 1), ("[=]\n", 1), ("[.a]\n", 1),
    ]

    /// A `}` where an array expects a value asserted in toml++'s parse_value (found by scripts/fuzz-toml.sh).
    @Test(arguments: ["x = [ }\n", "x = [1, }\n", "x = [[ }\n", "x = { a = [ } }\n", "x = [ # c\n }\n",
                      "b= { \"\"= {se = { b= { \"\"= {s=[[[[[[[[[[[[[[[[[[[[[}}=",
                      "[site]\nid =[[[[[[[[[[[ }\n\n\n"])
    func aMismatchedCloserIsAnErrorNotAnAbort(_ text: String) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.message.contains("does not close"), "\(error)")
        }
    }

    /// A date, a space and one digit asserted in toml++'s value scanner (found by scripts/fuzz-toml.sh).
    @Test(arguments: ["x = 1979-05-27 7\n", "x = 1979-05-27 0 \n", "x = [2026-11-02 9]\n",
                      "te= 7/ov-Rd-fd 7 7/ov-Rd-fd 7d pfd pfpf", "te= 7/ov-Rd-fd 7\u{0C}\0\0\0", "x = 1979-05-27 7"])
    func aDateWithHalfATimeIsAnErrorNotAnAbort(_ text: String) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.message.contains("half a time") || error.line == 1, "\(error)")
        }
    }

    @Test func realDatesAndTimesStillParse() throws {
        let root = try TOMLText.parse("a = 1979-05-27\nb = 1979-05-27 07:32:00\nc = 1979-05-27T07:32:00Z\nd = [1979-05-27, 2]\n")
        #expect(root["a"] != nil && root["b"] != nil && root["c"] != nil && root["d"]?.array?.count == 2)
    }

    /// An unclosed `[` (or `[[`) at the end of a line reached the same assertion.
    @Test(arguments: ["[\n", "[[\n", "[\r\n", "a = 1\n[ \n", "[[ \r\n", "[[\r\r"])
    func anUnclosedTableHeaderIsAnErrorNotAnAbort(_ text: String) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.message.contains("must be closed on its own line"), "\(error)")
            #expect(error.line == (text.hasPrefix("a = 1") ? 2 : 1))
        }
    }

    @Test(arguments: 0..<crashing.count)
    func aTableNameThatAbortedTomlPlusPlusIsAnErrorWithItsLine(_ index: Int) {
        let (text, line) = Self.crashing[index]
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.parse(text) }
        do {
            _ = try TOMLText.parse(text)
        } catch {
            #expect(error.line == line, "\(text.debugDescription): \(error)")
            #expect(error.message.contains("without quotes") || error.message.contains("double quotes"), "\(error)")
        }
    }

    @Test(arguments: ["名称 = 1\n", "[site]\nid = \"x\"\na.é = 1\n", "t = { 名 = 1 }\n", "t = { a = 1, 名 = 2 }\n"])
    func aNonASCIIBareKeyIsTheSameClearError(_ text: String) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.message.contains("double quotes"), "\(error)")
            #expect(error.line == text.split(separator: "\n").firstIndex { $0.unicodeScalars.contains { !$0.isASCII } }.map { $0 + 1 })
        }
    }

    @Test func quotedNamesStillParse() throws {
        let root = try TOMLText.parse("[\"办公室\"]\n\"名称\" = 1\n['é']\n'Ａ' = \"值\"\n[a.\"科室\"]\nb = 2\n")
        #expect(root["办公室"]?.table?["名称"]?.int == 1)
        #expect(root["é"]?.table?["Ａ"]?.string == "值")
        #expect(root["a"]?.table?["科室"]?.table?["b"]?.int == 2)
    }

    @Test func bracketsInsideValuesAndStringsAreNotTableHeaders() throws {
        let text = """
            badges = [
              "[办公室]",
              [ "é" ],
            ]
            note = \"\"\"
            [办公室]
            名称 = 1
            \"\"\"
            literal = '''
            [é]'''
            inline = { "名" = "[Ａ]", b = [1, 2] }
            # [办公室] in a comment
            [site] # [办公室]
            id = "x"
            """
        let root = try TOMLText.parse(text)
        #expect(root["site"]?.table?["id"]?.string == "x")
        #expect(root["badges"]?.array?.count == 2)
    }

    @Test func otherSyntaxErrorsStillComeFromTOMLKitWithTheirLine() {
        do {
            _ = try TOMLText.parse("a = 1\nb = \n")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 2)
        }
    }
}
