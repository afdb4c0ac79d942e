import Foundation
import Testing

/// Golden files for rendered reports in `Tests/DutyCollectorTests/Fixtures/golden/`: compared line
/// by line, the first differing lines reported with their numbers; re-recorded (and passed) when
/// the environment has `DUTYWATCH_RECORD=1`.
enum Golden {
    /// The folder in the checkout (not the copied bundle) so that recording updates the source.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["DUTYWATCH_RECORD"] == "1" }

    /// Checks `actual` against the golden file `name`, or records it.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("golden file \(name) is missing; run the tests with DUTYWATCH_RECORD=1 to record it",
                         sourceLocation: sourceLocation)
            return
        }
        if let diff = difference(expected: String(decoding: data, as: UTF8.self), actual: actual) {
            Issue.record("\(name) differs from the golden file (DUTYWATCH_RECORD=1 re-records):\n\(diff)",
                         sourceLocation: sourceLocation)
        }
    }

    /// The first differing region: the common start and end are skipped, then up to `limit` lines
    /// of each side are shown with their line numbers; nil when the texts are equal.
    static func difference(expected: String, actual: String, limit: Int = 8) -> String? {
        guard expected != actual else { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var first = 0
        while first < e.count, first < a.count, e[first] == a[first] { first += 1 }
        var tail = 0
        while tail < e.count - first, tail < a.count - first, e[e.count - 1 - tail] == a[a.count - 1 - tail] { tail += 1 }
        var out = ["first difference at line \(first + 1) (\(e.count) lines expected, \(a.count) actual):"]
        for (sign, lines) in [("-", e), ("+", a)] {
            let range = first..<(lines.count - tail)
            for i in range.prefix(limit) { out.append("\(sign) \(i + 1): \(lines[i].debugDescription)") }
            if range.count > limit { out.append("\(sign) … \(range.count - limit) more") }
        }
        return out.joined(separator: "\n")
    }
}
