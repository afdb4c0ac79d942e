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

    /// The first `limit` differing lines, numbered; nil when the texts are equal.
    static func difference(expected: String, actual: String, limit: Int = 6) -> String? {
        guard expected != actual else { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) where out.count < limit * 3 {
            let el = i < e.count ? String(e[i]) : nil, al = i < a.count ? String(a[i]) : nil
            guard el != al else { continue }
            out.append("line \(i + 1):")
            out.append("  expected: \(el.map { $0.debugDescription } ?? "(end of file)")")
            out.append("  actual:   \(al.map { $0.debugDescription } ?? "(end of file)")")
        }
        if e.count != a.count { out.append("(\(e.count) lines expected, \(a.count) actual)") }
        return out.joined(separator: "\n")
    }
}
