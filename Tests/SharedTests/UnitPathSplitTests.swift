import Foundation
import Testing
@testable import Shared

/// `UnitPath.init` splits plain paths (every part beginning and ending with printable ASCII or a
/// CJK ideograph) at the bytes of `/`, and everything else as before: both give the same parts.
@Suite struct UnitPathSplitTests {
    @Test(arguments: ["市场监管局/执法大队/一中队", "Office/Room 12", "a", "局/科 室/组", "䶵䷀/鿿", "局/A-1/(二)"])
    func plainPathsTakeTheByteSplit(_ path: String) throws {
        let parts = try #require(UnitPath.plainComponents(path))
        #expect(parts.map { Array($0.utf8) } == UnitPath.trimmedComponents(path).map { Array($0.utf8) })
        #expect(UnitPath(path).components.map { Array($0.utf8) } == parts.map { Array($0.utf8) })
    }

    @Test(arguments: [
        "", "/", "局//科", "/局/科", "局/科/", " 局/科", "局 /科", "局/\u{3000}科", "局/科\t", "局/Café", "局/e\u{301}",
        "局/\u{301}科", "局/科\u{301}", "局/\u{600}科", "局/😀", "局/\u{200D}/科", "Ω/科", "局/\u{2028}",
    ])
    func otherPathsAreSplitAsBefore(_ path: String) {
        #expect(UnitPath.plainComponents(path) == nil)
        #expect(UnitPath(path).components == UnitPath.trimmedComponents(path))
    }

    /// Random paths from pieces that matter to splitting and trimming: both ways agree whenever
    /// the byte split applies.
    @Test func randomPathsSplitTheSameBothWays() {
        let pieces = ["/", " ", "\u{3000}", "\t", "局", "科", "a", "Z", "1", "-", "\u{301}", "\u{600}", "é", "😀", "\u{200D}", "鿿", "䶵"]
        var state: UInt64 = 7
        var plain = 0
        for _ in 0..<5000 {
            var path = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var n = Int(state >> 60) + 1
            while n > 0 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                path += pieces[Int(state >> 33) % pieces.count]
                n -= 1
            }
            if let parts = UnitPath.plainComponents(path) {
                plain += 1
                #expect(parts.map { Array($0.utf8) } == UnitPath.trimmedComponents(path).map { Array($0.utf8) }, "\(path.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        #expect(plain > 100)
    }

    /// `limitProblem` looks at the bytes before decoding: every control character (C0, DEL, C1) is
    /// still found, and text that merely resembles one in its bytes is not refused.
    @Test func controlCharactersAreFoundFromTheirBytes() {
        for control in ["\u{0}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}"] {
            let problem = UnitPath("局/科\(control)室").limitProblem
            #expect(problem?.contains("control character") == true, "\(control.unicodeScalars.first!.value)")
        }
        // U+00A0-U+00FF (0xC2 0xA0-0xBF, 0xC3 …) and CJK with 0x80-0x9F continuation bytes are no controls.
        for text in ["局/\u{A0}科", "局/Caf\u{E9}", "局/\u{C280}", "执法大队/一中队", "局/\u{4E80}\u{4E9F}"] {
            #expect(UnitPath(text).limitProblem == nil, "\(text)")
        }
    }
}
