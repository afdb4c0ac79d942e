import Foundation
import Shared
import Testing
@testable import DutyAgent

@Suite struct DigestGoldenTests {
    @Test func tableInChinese() throws {
        try GoldenFile.check(TableDigest.render(DigestFixture.report, language: .zh), named: "digest-table-zh.txt")
    }

    @Test func tableInEnglishWithSources() throws {
        try GoldenFile.check(TableDigest.render(DigestFixture.report, language: .en, sources: true),
                             named: "digest-table-en-sources.txt")
    }

    @Test func markdown() throws {
        try GoldenFile.check(MarkdownDigest.render(DigestFixture.report, language: .zh), named: "digest-zh.md")
    }

    @Test func csv() throws {
        try GoldenFile.check(CSVDigest.render(DigestFixture.report, language: .zh), named: "digest.csv")
    }

    @Test func json() throws {
        try GoldenFile.check(JSONDigest.render(DigestFixture.report), named: "digest.json")
    }

    @Test func emptyRun() throws {
        let report = DigestReport(siteID: "s", siteName: "s", from: CivilDate("2026-11-02")!, to: CivilDate("2026-11-02")!,
                                  completeThrough: nil, evaluation: Evaluation(anomalies: [], quality: [], instances: []),
                                  ingestQuality: [], files: 0, punches: 0)
        try GoldenFile.check(TableDigest.render(report, language: .zh), named: "digest-table-empty.txt")
    }

    @Test func tableColumnsAlignByDisplayWidth() {
        let text = TableDigest.render(DigestFixture.report, language: .zh)
        // Within each unit's table, the date column starts at the same display column on every row.
        let lines = text.split(separator: "\n").map(String.init)
        for header in lines.indices where lines[header].hasPrefix("  类别") {
            let rows = lines[header...].prefix { !$0.hasPrefix("  小计") }
            let columns = rows.dropFirst().map { row -> Int in
                let before = row[..<row.range(of: "  2026-11-0")!.lowerBound]
                return DisplayWidth.of(String(before))
            }
            #expect(Set(columns).count == 1, "\(rows)")
        }
        #expect(DisplayWidth.of("欧阳晓明 ab") == 11)
    }

    @Test func totalsCountChargedAndExcusedApart() {
        let t = DigestFixture.report.totals
        #expect(t.anomalies == 6 && t.charged == 5 && t.excused == 1)
        #expect(t[.absent].count == 0 && t[.absent].excused == 1 && t[.absent].excusedMinutes == 420)
        #expect(t[.late].minutes == 12)
        #expect(t.chargedMinutes == 12 + 40 + 35)
        #expect(t.instances.scheduled == 7 && t.instances.present == 4 && t.instances.pending == 1)
        #expect(t.instances.unverified == 1 && t.instances.excused == 1)
        #expect(t.badLines == 1 && t.qualityItems == 3 && t.punches == 1234 && t.files == 3)
    }

    @Test func longQualityListsAreCutPerKindWithACount() throws {
        var report = DigestFixture.report
        report.quality = (1...13).map { (n: Int) in QualityItem(kind: .badLine, file: "b.dat", line: n, message: "bad \(n)") }
            + [QualityItem(kind: .readerSilent, date: CivilDate("2026-11-03"), message: "silent")]
        let text = TableDigest.render(report, language: .zh)
        #expect(text.contains("b.dat 第10行"))
        #expect(!text.contains("b.dat 第11行"))
        let lines = text.components(separatedBy: "\n")
        let tenth = try #require(lines.firstIndex { $0.contains("b.dat 第10行 ") })
        #expect(lines[tenth + 1].hasPrefix("  … 另有 3 项“无法读取的行”未列出"))
        #expect(text.contains("2026-11-03 所有读卡器均无打卡记录"))
        let markdown = MarkdownDigest.render(report, language: .en)
        #expect(markdown.contains("… and 3 more unreadable line"))
        #expect(try JSONDigest.render(report).contains("b.dat"))
    }

    @Test func csvQuotesFields() {
        #expect(CSVDigest.quote("a,b") == "\"a,b\"")
        #expect(CSVDigest.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVDigest.quote("plain") == "plain")
    }
}

/// The agent's Chinese digests hold no machine code and no English sentence (DESIGN, "One
/// vocabulary"): labels from Vocabulary, data-quality messages in Chinese.
@Suite struct ChineseDigestTests {
    static let forbidden: [String] = AnomalyKind.allCases.map(\.rawValue) + Severity.allCases.map(\.rawValue)
        + ReviewState.allCases.map(\.rawValue) + QualityKind.allCases.map(\.rawValue)
        + ["the", "and", "reader", "punch", "punches", "excused", "badge", "line", "unknown", "scheduled"]

    /// Forbidden words of `text`, as whole ASCII words.
    static func englishIn(_ text: String) -> [String] {
        let words = Set(text.split { !($0.isASCII && ($0.isLetter || $0 == "_")) }.map { $0.lowercased() })
        return forbidden.filter { words.contains($0) }
    }

    @Test func tableMarkdownAndCSVInChinese() {
        for (name, text) in [("table", TableDigest.render(DigestFixture.report, language: .zh)),
                             ("markdown", MarkdownDigest.render(DigestFixture.report, language: .zh)),
                             ("csv", CSVDigest.render(DigestFixture.report, language: .zh))] {
            #expect(Self.englishIn(text).isEmpty, "\(name): \(Self.englishIn(text))\n\(text)")
        }
        #expect(Self.englishIn("迟到 late；bad_line") == ["late", "bad_line"], "the check itself finds machine codes")
    }

    @Test func aCSVCellWithACommaAQuoteOrAnyLineBreakIsQuoted() {
        for cell in ["a,b", "a\"b", "a\nb", "a\rb", "a\r\nb"] {
            #expect(CSVDigest.quote(cell).first == "\"" && CSVDigest.quote(cell).last == "\"", "\(cell.debugDescription)")
        }
        #expect(CSVDigest.quote("a\"b") == "\"a\"\"b\"")
        #expect(CSVDigest.quote("市场监管局/办公室 张伟") == "市场监管局/办公室 张伟")
    }
}
