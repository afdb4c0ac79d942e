import Foundation
import Shared

/// The JSON digest: exactly one object `{"anomalies":[…],"quality":[…],"totals":{…}}`, keys sorted.
enum JSONDigest {
    private struct Document: Encodable {
        var anomalies: [Anomaly]
        var quality: [QualityItem]
        var totals: DigestTotals
    }

    /// The JSON text, pretty-printed, with a final newline.
    static func render(_ report: DigestReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(anomalies: report.anomalies, quality: report.quality,
                                               totals: report.totals))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
