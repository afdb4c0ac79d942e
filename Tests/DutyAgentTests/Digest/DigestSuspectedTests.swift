import Shared
import Testing
@testable import DutyAgent

/// A suspected off-post in the agent's digests: under its own heading (存疑待核), in no unit's
/// table, subtotal or charged total.
@Suite struct DigestSuspectedTests {
    static var report: DigestReport {
        var evaluation = DigestFixture.evaluation
        var doubt = DigestFixture.anomaly("2001", "欧阳晓明", "市场监管局/执法大队/一中队", "2026-11-03", "night-duty",
                                          .offPost, 588, .critical, duty: true,
                                          away: ("2026-11-03 22:10:00", "2026-11-04 07:58:00"),
                                          evidence: [("badges/3_attlog.dat", 7, "2026-11-03 22:10:00", "3"),
                                                     ("badges/3_attlog.dat", 9, "2026-11-04 07:58:00", "3")])
        doubt.suspected = true
        evaluation.anomalies.append(doubt)
        return DigestReport(siteID: "sjj-hq", siteName: "市场监管局机关", from: CivilDate("2026-11-02")!,
                            to: CivilDate("2026-11-03")!, completeThrough: CivilDate("2026-11-03"), evaluation: evaluation,
                            ingestQuality: [], files: 3, punches: 1234)
    }

    @Test func totalsLeaveTheSuspicionOut() {
        let plain = DigestFixture.report.totals
        let t = Self.report.totals
        #expect(t.charged == plain.charged && t.chargedMinutes == plain.chargedMinutes)
        #expect(t[.offPost].count == plain[.offPost].count)
        #expect(t.suspected == 1 && plain.suspected == nil)
        #expect(t.anomalies == plain.anomalies + 1)
    }

    @Test func theTableListsItUnderItsOwnHeading() throws {
        let text = TableDigest.render(Self.report, language: .zh)
        let heading = try #require(text.range(of: "■ 存疑待核"))
        let row = try #require(text.range(of: "588"))
        #expect(heading.upperBound < row.lowerBound)
        // After every unit's table, and the unit's subtotal does not count it.
        #expect(text.range(of: "■ 市场监管局/执法大队/一中队")!.upperBound < heading.lowerBound)
        let unitPart = String(text[text.range(of: "■ 市场监管局/执法大队/一中队")!.upperBound..<heading.lowerBound])
        #expect(!unitPart.contains("588"))
        #expect(TableDigest.render(Self.report, language: .en).contains("■ suspected"))
    }

    @Test func markdownListsItUnderItsOwnHeading() {
        let text = MarkdownDigest.render(Self.report, language: .zh)
        #expect(text.contains("## 存疑待核\n"))
        let section = text.components(separatedBy: "## 存疑待核\n").last ?? ""
        #expect(section.contains("| 588 |"))
        #expect(!DigestFixture.report.totals.kinds.isEmpty)
    }
}
