import Foundation
import Testing
@testable import DutyAgent
import Shared

/// Units in the people file and in `[[schedule]] units` are NFC, and a control or invisible
/// character makes the row a bad line (two units that differ only by one would look the same).
@Suite struct UnitTextTests {
    @Test func decomposedUnitsAreTheComposedUnit() throws {
        let composed = "市场监管局/Café科"
        let decomposed = "市场监管局/Cafe\u{301}科"
        #expect(Array(composed.unicodeScalars) != Array(decomposed.unicodeScalars))
        let text = "id,name,unit\n1001,张伟,\(composed)\n1002,王芳,\(decomposed)\n"
        let url = try IngestFixtures.write(text, named: "people.csv")
        let r = try PeopleFileReader.read(contentsOf: url, displayName: "people.csv")
        #expect(r.quality.isEmpty)
        #expect(r.rows.count == 2)
        #expect(r.rows[0].unit == r.rows[1].unit)
        #expect(Array(r.rows[1].unit.description.unicodeScalars) == Array(composed.unicodeScalars))
    }

    @Test(arguments: ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{200B}", "\u{202E}", "\u{2028}", "\u{FEFF}"])
    func aControlOrInvisibleCharacterInAUnitIsABadLine(_ character: String) throws {
        let text = "id,name,unit\n1001,张伟,市场监管局/办公室\n1002,王芳,\"市场监管局/办公室\(character)\"\n1003,李娜,市场监管局/食品科\n"
        let url = try IngestFixtures.write(text, named: "people.csv")
        let r = try PeopleFileReader.read(contentsOf: url, displayName: "people.csv")
        #expect(r.rows.map(\.id) == ["1001", "1003"], "the rest is read")
        #expect(r.quality.count == 1)
        let item = try #require(r.quality.first)
        #expect(item.kind == .badLine && item.file == "people.csv" && item.line == 3)
        let code = String(format: "U+%04X", character.unicodeScalars.first!.value)
        #expect(item.message.hasPrefix("unit: ") && item.message.contains(code), "\(item.message)")
    }

    @Test func scheduleUnitsAreNFCAndRefuseControlCharacters() throws {
        let decomposed = ConfigFolder.validTOML.replacingOccurrences(of: "units = [\"市场监管局\"]",
                                                                     with: "units = [\"市场监管局/Cafe\u{301}\"]")
        #expect(decomposed != ConfigFolder.validTOML)
        let folder = try ConfigFolder(decomposed)
        defer { folder.remove() }
        let config = try AgentConfig.load(path: folder.configPath)
        #expect(config.schedules.first?.units == [UnitPath("市场监管局/Café")])

        // (A NUL cannot be tried here: TOMLKit passes strings through C and cuts them at a NUL.)
        let withEscape = ConfigFolder.validTOML.replacingOccurrences(of: "units = [\"市场监管局\"]",
                                                                     with: "units = [\"市场监管局\\u001B\"]")
        let bad = try ConfigFolder(withEscape)
        defer { bad.remove() }
        let (_, problems) = AgentConfig.check(path: bad.configPath)
        #expect(problems.contains { $0.field == "schedule[1].units" && $0.message.contains("U+001B") && $0.line != nil },
                "\(problems)")
    }
}
