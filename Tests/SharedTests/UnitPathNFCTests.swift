import Foundation
import Shared
import Testing

/// `UnitPath.nfc` skips Foundation's normalisation for text that cannot change (ASCII, Latin below
/// U+0300, CJK ideographs) and still normalises everything else.
@Suite struct UnitPathNFCTests {
    @Test(arguments: ["市场监管局/执法大队/一中队", "Office/Room 12", "市场监管局/Caf\u{E9} 科", "䶵䷀/鿿"])
    func stableTextIsReturnedAsItIs(_ path: String) {
        let unit = UnitPath(path)
        #expect(Array(unit.nfc.description.utf8) == Array(unit.description.utf8))
        #expect(Array(unit.nfc.description.utf8) == Array(path.precomposedStringWithCanonicalMapping.utf8))
    }

    @Test(arguments: [
        ("市场监管局/Cafe\u{301}", "市场监管局/Caf\u{E9}"),        // a combining accent after Latin
        ("市场监管局/か\u{3099}", "市场监管局/が"),                  // kana and a combining voicing mark
        ("市场监管局/\u{F900}", "市场监管局/\u{8C48}"),              // a CJK compatibility ideograph
        ("执法\u{0301}大队", "执法\u{0301}大队"),                    // a mark after an ideograph stays
    ])
    func otherTextIsNormalised(_ pair: (String, String)) {
        #expect(Array(UnitPath(pair.0).nfc.description.utf8) == Array(pair.1.utf8))
    }
}
