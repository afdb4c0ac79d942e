import Testing
@testable import DutyAgent
import Shared

/// Badges found by their digits are the badges a string lookup finds: "007", "07" and "7" stay
/// three badges, long and non-digit badges go the usual way, and thousands of badges (the table
/// growing) each keep their own index.
@Suite struct BadgeNumberCacheTests {
    static func key(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { BadgeNumberCache.key($0, 0, $0.count) }
    }

    @Test func leadingZerosLongAndNonDigitBadgesAreKeptApart() {
        #expect(Self.key("007") != Self.key("07") && Self.key("07") != Self.key("7"))
        #expect(Self.key("7") != nil && Self.key("12345678901234567") != nil)
        #expect(Self.key("123456789012345678") == nil)
        #expect(Self.key("12a") == nil && Self.key("") == nil && Self.key("１２") == nil)
    }

    @Test func everyBadgeKeepsItsIndexAsTheTableGrows() {
        var cache = BadgeNumberCache()
        let badges = (0..<5_000).map { String($0 * 7_919 + 1) } + ["0", "00", "000"]  // all distinct
        let keys = badges.map { Self.key($0)! }
        for (i, key) in keys.enumerated() { cache.insert(key, index: Int32(i)) }
        // A key past the probe limit is not cached (nil: read the usual way); none is ever wrong.
        let found = keys.indices.map { cache.index(of: keys[$0]) }
        #expect(found.indices.allSatisfy { found[$0] == nil || found[$0] == Int32($0) })
        #expect(found.count { $0 != nil } >= badges.count * 99 / 100)
        #expect(cache.index(of: Self.key("2")!) == nil)  // never inserted
    }

    @Test func aFileOfSimilarBadgesReadsEachAsItsOwn() {
        let rows = ["007", "07", "7", "007", "99999999999999999999", "7", "07"]
        let text = rows.enumerated().map { "  \($1)\t2026-11-02 08:00:0\($0)\t1\t0\t1\t0\n" }.joined()
        let r = IngestFixtures.badges(text)
        #expect(r.quality.isEmpty)
        #expect(r.punches.map(\.badge) == rows)
        #expect(r.punches.badgeIDs == ["007", "07", "7", "99999999999999999999"])
        #expect(r.punches.map(\.source.line) == Array(1...7))
    }
}
