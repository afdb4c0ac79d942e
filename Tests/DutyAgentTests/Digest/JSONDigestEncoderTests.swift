import Foundation
import Shared
import Testing
@testable import DutyAgent

/// The JSON digest is written byte by byte; these pin it to what Foundation's `JSONEncoder` writes
/// for the same values (the layout it had before), on values meant to catch every difference:
/// control bytes, quotes, slashes, non-ASCII text, optional fields present and absent, empty lists.
@Suite struct JSONDigestEncoderTests {
    /// The document the digest was encoded from before it was written by hand.
    private struct Document: Encodable {
        var anomalies: [Anomaly]
        var quality: [QualityItem]
        var totals: DigestTotals
    }

    private static func encoded(_ report: DigestReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(anomalies: report.anomalies, quality: report.quality, totals: report.totals))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    @Test func fixtureIsWhatJSONEncoderWrites() throws {
        #expect(try JSONDigest.render(DigestFixture.report) == Self.encoded(DigestFixture.report))
    }

    @Test func awkwardValuesAreWhatJSONEncoderWrites() throws {
        var controls = ""
        for byte in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(byte))) }
        let awkward = controls + "\u{7f} \"quoted\" back\\slash a/b 市场监管局 😀"
        var suspected = DigestFixture.anomaly("3001", awkward, "市场监管局/值班室", "2026-11-02", "night-duty",
                                              .offPost, 95, .critical, duty: true,
                                              away: ("2026-11-02 22:00:00", "2026-11-03 07:59:00"),
                                              evidence: [("badges/a \"b\".dat", 7, "2026-11-02 22:00:00", "4\t5")])
        suspected.suspected = true
        suspected.evidence[0].direction = .exit
        suspected.shiftName = nil
        let excused = DigestFixture.anomaly("3002", "李四", "市场监管局/办公室", "2026-11-03", "day", .absent, 420,
                                            .critical, excused: awkward)
        var silent = QualityItem(kind: .readerSilent, date: CivilDate("2026-11-02")!, reader: "2", count: 2,
                                 message: "Reader 2 was silent")
        silent.people = ["张三 (1001)", awkward]
        var nobody = QualityItem(kind: .readerSilent, date: CivilDate("2026-11-04")!, reader: "3", message: "none")
        nobody.people = []
        // What the ADMS receiver adds: an outage's interval and a device clock's drift (either sign).
        var outage = QualityItem(kind: .readerSilent, date: CivilDate("2026-11-02")!, reader: "3", message: awkward)
        outage.interval = "2026-11-02 09:10:00 – 2026-11-02 09:40:00"
        outage.people = ["张三 (1001)"]
        var ahead = QualityItem(kind: .clockSkew, reader: "3", message: "ahead")
        ahead.driftSeconds = 180
        var behind = QualityItem(kind: .clockSkew, date: CivilDate("2026-11-03")!, reader: "4", message: "behind")
        behind.driftSeconds = -3_600
        let quality = [
            outage, ahead, behind,
            QualityItem(kind: .badLine, file: "badges/1_attlog.dat", line: 4, field: "工号", message: awkward),
            QualityItem(kind: .unknownBadge, file: "x", line: 1, date: CivilDate("2026-11-02")!, badge: "99",
                        reader: "1", count: 3, message: "unknown"),
            silent, nobody,
        ]
        let evaluation = Evaluation(anomalies: [suspected, excused], quality: quality, instances: [])
        let report = DigestReport(siteID: "s", siteName: "s", from: CivilDate("2026-11-02")!, to: CivilDate("2026-11-04")!,
                                  completeThrough: nil, evaluation: evaluation, ingestQuality: [], files: 1, punches: 9)
        #expect(try JSONDigest.render(report) == Self.encoded(report))
    }

    @Test func emptyDigestIsWhatJSONEncoderWrites() throws {
        let report = DigestReport(siteID: "s", siteName: "s", from: CivilDate("2026-11-02")!, to: CivilDate("2026-11-02")!,
                                  completeThrough: nil, evaluation: Evaluation(anomalies: [], quality: [], instances: []),
                                  ingestQuality: [], files: 0, punches: 0)
        #expect(try JSONDigest.render(report) == Self.encoded(report))
    }

    @Test func largeDigestArrivesInPiecesInOrder() throws {
        let one = DigestFixture.report.anomalies[0]
        let many = Array(repeating: one, count: 4_000)
        let report = DigestReport(siteID: "s", siteName: "s", from: one.date, to: one.date, completeThrough: nil,
                                  evaluation: Evaluation(anomalies: many, quality: [], instances: []),
                                  ingestQuality: [], files: 1, punches: 1)
        var pieces: [[UInt8]] = []
        try JSONDigest.write(report) { pieces.append(Array($0)) }
        #expect(pieces.count > 1)
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == (try Self.encoded(report)))
    }
}
