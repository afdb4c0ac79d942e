import Foundation
import Shared
import Testing
@testable import DutyCollector

/// Escaping, number formats, terminal widths and the `[bulletin]` settings.
@Suite("Report text")
struct ReportTextTests {
    @Test("HTML, CSV and Markdown escaping")
    func escaping() {
        #expect(ReportText.html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(ReportText.csv("张三") == "张三")
        #expect(ReportText.csv("a,b") == "\"a,b\"")
        #expect(ReportText.csv("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportText.csv("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ReportText.csv("two\nlines") == "\"two\nlines\"")
        #expect(ReportText.csv("-0.08") == "-0.08" && ReportText.csv("-x") == "'-x" && ReportText.csv("@sum") == "'@sum")
        #expect(ReportText.markdown("a|b\nc") == "a\\|b c")
    }

    @Test("rates, changes and percentages")
    func numbers() {
        #expect(ReportText.rate(3.0733) == "3.07" && ReportText.rate(0) == "0.00" && ReportText.rate(12.5) == "12.50")
        #expect(ReportText.rate(-1.9149) == "-1.91")
        #expect(ReportText.change(0.5655) == "+0.57" && ReportText.change(-2.5) == "-2.50")
        #expect(ReportText.change(0.001) == "0.00" && ReportText.change(-0.001) == "0.00" && ReportText.change(nil) == "—")
        #expect(ReportText.percent(95.555) == "95.6%" && ReportText.percent(100) == "100.0%")
    }

    @Test("terminal width counts CJK as two columns")
    func widths() {
        #expect(ReportText.displayWidth("张伟") == 4 && ReportText.displayWidth("1001") == 4)
        #expect(ReportText.displayWidth("缺卡(上班)") == 10 && ReportText.displayWidth("迟到 late") == 9)
        #expect(ReportText.pad("张伟", to: 6) == "张伟  " && ReportText.pad("12", to: 4, right: true) == "  12")
        #expect(ReportText.truncate("综合执法大队第一中队", to: 9) == "综合执法…")
    }

    @Test("[bulletin] settings from TOML, errors naming the key")
    func settings() throws {
        let s = try BulletinSettings(toml: """
            [bulletin]
            repeat_late_early = 4
            repeat_off_post = 2
            organization = "某市市场监督管理局"
            office = "某市市场监督管理局人事科"
            document_number = "市监人〔{year}〕{month}号"
            """, file: "collector.toml")
        #expect(s.repeatLateEarly == 4 && s.repeatAbsent == 1 && s.repeatOffPost == 2)
        #expect(s.organization == "某市市场监督管理局" && s.documentNumber == "市监人〔{year}〕{month}号")
        #expect(try BulletinSettings(toml: "[server]\nport = 1\n", file: "c.toml") == BulletinSettings())
        #expect(throws: ConfigErrors([ConfigError(file: "c.toml", line: 2, key: "bulletin.repeat_absent",
                                     message: "must be a whole number of at least 1")])) {
            try BulletinSettings(toml: "[bulletin]\nrepeat_absent = 0\n", file: "c.toml")
        }
        #expect(throws: ConfigErrors([ConfigError(file: "c.toml", line: 2, key: "bulletin.repeat", message: "unknown key (expected one of: document_number, office, organization, repeat_absent, repeat_late_early, repeat_off_post, timezone)")])) {
            try BulletinSettings(toml: "[bulletin]\nrepeat = 3\n", file: "c.toml")
        }
        #expect(throws: ConfigErrors([ConfigError(file: "c.toml", line: 2, key: "bulletin.timezone", message: "unknown time zone Mars/Base")])) {
            try BulletinSettings(toml: "[bulletin]\ntimezone = \"Mars/Base\"\n", file: "c.toml")
        }
    }

    @Test("the HTML escapes every text and fetches nothing")
    func htmlIsSelfContained() throws {
        var b = BulletinFigureTests.empty(completeness: [])
        b.organization = "<script>alert(1)</script>局"
        let evil = UnitPath("局/<img src=x onerror=alert(1)>")
        var unit = BulletinBuilder.line(for: UnitFigures(unit: evil, scheduled: 10, present: 9, excused: 0, unverified: 0,
                                                         kinds: [.late: KindFigures(count: 1, minutes: 9)]),
                                        previous: nil, depth: 1)
        unit.rank = 1
        b.units.append(unit)
        b.ranking = [RankedUnit(rank: 1, unit: evil, scheduled: 10, charged: 1, score: 10)]
        b.seriousCases = [SeriousCase(id: "x", person: "\"1\"", name: "<b>王</b>", unit: evil, date: CivilDate("2026-11-02")!,
                                      shift: "day", duty: false, kind: .late, minutes: 70, severity: .critical, review: .open)]
        for lang in Language.allCases {
            let html = BulletinHTMLRenderer.render(b, language: lang)
            #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"))
            #expect(html.contains("&lt;script&gt;") && html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!html.contains("src=\"") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
            #expect(html.components(separatedBy: "http").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
            #expect(html.contains("@media print") && html.contains("size: A4") && html.contains("<svg"))
        }
    }

    @Test("the Markdown bulletin passes no agent's HTML or link through")
    func markdownIsInert() throws {
        #expect(ReportText.markdown("<script>x</script> & [a](javascript:b) `c` \\") ==
                "&lt;script&gt;x&lt;/script&gt; &amp; \\[a\\](javascript:b) \\`c\\` \\\\")
        var b = BulletinFigureTests.empty(completeness: [])
        b.organization = "<script>alert(1)</script>局"
        let evil = UnitPath("局/<img src=x onerror=alert(1)>")
        b.seriousCases = [SeriousCase(id: "x", person: "1", name: "[王](javascript:alert(1))", unit: evil,
                                      date: CivilDate("2026-11-02")!, shift: "day", duty: false, kind: .late, minutes: 70,
                                      severity: .critical, review: .open)]
        for lang in Language.allCases {
            let md = BulletinMarkdownRenderer.render(b, language: lang)
            #expect(!md.contains("<script") && !md.contains("<img") && !md.contains("[王]"))
            #expect(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;局") && md.contains("\\[王\\]"))
        }
    }

    @Test("the charts show the 25 highest units when the ranked level is larger")
    func chartLimit() {
        var b = BulletinFigureTests.empty(completeness: [])
        for i in 0..<40 {
            var u = BulletinBuilder.line(for: UnitFigures(unit: UnitPath("局/科\(i)"), scheduled: 100, present: 100, excused: 0,
                                                          unverified: 0, kinds: [.late: KindFigures(count: 40 - i, minutes: 5)]),
                                         previous: nil, depth: 1)
            u.rank = i + 1
            b.units.append(u)
            b.ranking.append(RankedUnit(rank: i + 1, unit: u.unit, scheduled: 100, charged: 40 - i, score: u.score))
        }
        let html = BulletinHTMLRenderer.render(b)
        #expect(html.contains("（排名前25的单位，共40个）"))
        #expect(html.contains(">科24</text>") && !html.contains(">科25</text>"))
        #expect(html.contains("<td title=\"局/科39\">"))
    }
}
