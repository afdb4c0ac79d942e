import Foundation
import Shared
import Testing
@testable import DutyCollector

/// The Chinese bulletin and digest hold no machine code and no English sentence (DESIGN, "One
/// vocabulary"): every label is the Vocabulary's, every message is in Chinese.
@Suite struct ChineseOutputTests {
    /// Words that must never stand in a Chinese output: the machine codes of kinds, severities,
    /// review states and quality kinds, and common English words of messages.
    static let forbidden: [String] = AnomalyKind.allCases.map(\.rawValue) + Severity.allCases.map(\.rawValue)
        + ReviewState.allCases.map(\.rawValue) + QualityKind.allCases.map(\.rawValue)
        + ["the", "and", "reader", "punch", "punches", "excused", "anomalies", "review", "missing", "scheduled", "total"]

    /// The forbidden words of `text`, as whole ASCII words.
    static func englishIn(_ text: String) -> [String] {
        let words = Set(text.split { !($0.isASCII && ($0.isLetter || $0 == "_")) }.map { $0.lowercased() })
        return forbidden.filter { words.contains($0) }
    }

    @Test func bulletinAndDigestInChineseHaveNoMachineCodeNorEnglish() async throws {
        let (bulletin, digest) = try await ReportFixture.withSQLite { store in
            try await ReportFixture.load(into: store)
            let b = try await BulletinBuilder.build(month: "2026-11", under: nil, store: store, settings: BulletinSettings(),
                                                    now: ReportFixture.now)
            let d = try await DigestBuilder.build(under: nil, from: CivilDate("2026-11-01"), to: CivilDate("2026-11-30"),
                                                  store: store, now: ReportFixture.now, zone: BulletinSettings().zone)
            return (b, d)
        }
        for format in [BulletinCommand.Format.markdown, .csv] {
            let text = try BulletinCommand.render(bulletin, format: format, language: .zh)
            #expect(Self.englishIn(text).isEmpty, "bulletin \(format): \(Self.englishIn(text))")
        }
        for format in [DigestCommand.Format.table, .markdown, .csv] {
            let text = try DigestCommand.render(digest, format: format, language: .zh)
            #expect(Self.englishIn(text).isEmpty, "digest \(format): \(Self.englishIn(text))")
        }
        #expect(Self.englishIn("迟到 late") == ["late"], "the check itself finds a machine code")
    }
}
