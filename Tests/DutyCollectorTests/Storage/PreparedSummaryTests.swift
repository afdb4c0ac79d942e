import Foundation
import Shared
import Testing
@testable import DutyCollector

private typealias S = StorageSamples

/// Rows built before the transaction.
@Suite("Prepared summary")
struct PreparedSummaryTests {
    @Test func bodyIsTheCanonicalEncodingByteForByte() throws {
        let d = S.day(3)
        for anomalies in [[], [S.anomaly("p1", .late, unit: S.squad1, date: d)],
                          [S.anomaly("p1", .late, unit: S.squad1, date: d), S.anomaly("p\"2", .offPost, unit: S.office, date: d, excused: true)]] {
            let summary = S.summary(agent: #"a"anomalies":[]"#, date: d, revision: 4, units: [S.squad1: (3, 2)], anomalies: anomalies)
            let prepared = try PreparedSummary(summary, receivedAt: S.time(1))
            let expected = String(decoding: try DaySummary.canonicalEncoder.encode(summary), as: UTF8.self)
            #expect(prepared.body == expected)
            #expect(prepared.contentDigest == summary.contentDigest())
            #expect(try DaySummary.decoder.decode(DaySummary.self, from: Data(prepared.body.utf8)) == summary)
            #expect(prepared.anomalyRows.count == anomalies.count)
        }
    }

    /// The digest comes from the same pieces as the body: it must stay what agents compute.
    @Test func digestAndBodyMatchTheWholeEncodingsWithQualityAndAwkwardText() throws {
        let d = S.day(5)
        let anomalies = [S.anomaly("p/1", .late, unit: S.squad1, date: d, name: "王\"五\\/ \u{1F}"),
                         S.anomaly("p2", .offPost, unit: S.office, date: d, excused: true)]
        var summary = S.summary(agent: "a/b\"c", date: d, revision: 12, units: [S.squad1: (3, 2), S.office: (1, 1)],
                                anomalies: anomalies, generatedAt: S.time(7))
        summary.site = "站点 /\"quality\":[]"
        summary.quality = [QualityItem(kind: .badLine, file: "a/b.csv", line: 4, message: "坏行 \"x\"")]
        summary.digest = summary.contentDigest()
        for s in [summary, S.summary(date: d, revision: 0, units: [:])] {
            let prepared = try PreparedSummary(s, receivedAt: S.time(1))
            #expect(prepared.contentDigest == s.contentDigest())
            #expect(prepared.body == String(decoding: try DaySummary.canonicalEncoder.encode(s), as: UTF8.self))
            #expect(try DaySummary.decoder.decode(DaySummary.self, from: Data(prepared.body.utf8)) == s)
        }
        var wrong = summary
        wrong.digest = String(repeating: "0", count: 64)
        #expect(try PreparedSummary(wrong, receivedAt: S.time(1)).contentDigest == summary.digest)
    }

    /// The time written into bytes is the encoder's, and what it leaves (a fraction of a second,
    /// a time before 1970) is still encoded the same.
    @Test func generatedAtIsTheEncodersWhateverTheTime() throws {
        let encoder = DaySummary.canonicalEncoder
        for t in [0, 1_794_880_800, 1_794_880_800.25, -86_400.5, -1, 253_402_300_799, 4_102_444_800] as [TimeInterval] {
            let date = Date(timeIntervalSince1970: t)
            if let bytes = CanonicalAnomalyJSON.instant(date) { #expect(bytes == Array(try encoder.encode(date)), "\(t)") }
            let summary = S.summary(date: S.day(5), revision: 1, units: [S.squad1: (3, 2)], generatedAt: date)
            let prepared = try PreparedSummary(summary, receivedAt: S.time(1))
            #expect(prepared.body == String(decoding: try encoder.encode(summary), as: UTF8.self), "\(t)")
        }
        #expect(CanonicalAnomalyJSON.instant(Date(timeIntervalSince1970: 1_794_880_800)) == Array(#""2026-11-17T02:00:00Z""#.utf8))
        #expect(CanonicalAnomalyJSON.instant(Date(timeIntervalSince1970: 0.5)) == nil)
    }

    @Test func repeatedUnitsAddUpAndRepeatedAnomaliesCountOnce() throws {
        let d = S.day(3)
        let a = S.anomaly("p1", .late, unit: S.squad1, date: d)
        var summary = S.summary(date: d, revision: 1, units: [S.squad1: (3, 2)], anomalies: [a, a])
        summary.units.append(UnitDayFigures(unit: UnitPath(S.squad1), scheduled: 2, present: 2))
        let prepared = try PreparedSummary(summary, receivedAt: S.time(1))
        #expect(prepared.unitRows.count == 1)
        #expect(prepared.unitRows.first?[3] == .int(5))
        #expect(prepared.anomalyRows.count == 1)
        #expect(prepared.units.map(\.description) == [S.root, S.brigade, S.squad1])
    }
}
