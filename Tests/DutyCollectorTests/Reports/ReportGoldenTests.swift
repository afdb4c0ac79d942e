import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The bulletin in every format and the digest, from the fixture bureau stored in a real SQLite
/// store, against golden files.
@Suite("Report golden files")
struct ReportGoldenTests {
    @Test("bulletin for November 2026 in every format and both languages")
    func bulletin() async throws {
        let bulletin = try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            // 限时办结 with the collector's default `[review]` (5 working days, Monday to Friday), as
            // `duty-collector bulletin`, the API and the console's downloads state it.
            return try await BulletinBuilder.build(month: "2026-11", under: nil, store: store, settings: BulletinSettings(),
                                                   review: ReviewSettings(), now: ReportFixture.now)
        }
        for format in BulletinCommand.Format.allCases {
            let ext = format == .markdown ? "md" : format.rawValue
            try Golden.check(try BulletinCommand.render(bulletin, format: format, language: .zh), "bulletin-2026-11.zh.\(ext)")
        }
        try Golden.check(try BulletinCommand.render(bulletin, format: .html, language: .en), "bulletin-2026-11.en.html")
        try Golden.check(try BulletinCommand.render(bulletin, format: .markdown, language: .en), "bulletin-2026-11.en.md")
        // The JSON is the model: it decodes back to the same bulletin.
        let json = try ReportJSON.encode(bulletin)
        #expect(try ReportJSON.decoder.decode(Bulletin.self, from: Data(json.utf8)) == bulletin)
        // The API's encoder (GET /api/v1/bulletin) writes the same keys.
        #expect(try ReportJSON.decoder.decode(Bulletin.self, from: JSONBody.encoder.encode(bulletin)) == bulletin)
        #expect(json.contains("\"repeat_cases\"") && json.contains("\"document_number\""))
    }

    @Test("bulletin for one unit of the tree")
    func bulletinForUnit() async throws {
        let bulletin = try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            return try await BulletinBuilder.build(month: "2026-11", under: UnitPath("市场监管局/综合执法大队"), store: store,
                                                   settings: BulletinSettings(), review: ReviewSettings(), now: ReportFixture.now)
        }
        try Golden.check(BulletinMarkdownRenderer.render(bulletin), "bulletin-2026-11.zfdd.zh.md")
    }

    @Test("digest for November 2026 in every format")
    func digest() async throws {
        let digest = try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            return try await DigestBuilder.build(under: nil, from: CivilDate("2026-11-01"), to: CivilDate("2026-11-30"),
                                                 store: store, now: ReportFixture.now, zone: BulletinSettings().zone)
        }
        for format in DigestCommand.Format.allCases {
            let ext = format == .markdown ? "md" : format == .table ? "txt" : format.rawValue
            try Golden.check(try DigestCommand.render(digest, format: format, language: .zh), "digest-2026-11.\(ext)")
        }
        let digestJSON = try ReportJSON.encode(digest)
        #expect(try ReportJSON.decoder.decode(Digest.self, from: Data(digestJSON.utf8)) == digest)
    }
}
