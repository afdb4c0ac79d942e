import Foundation
import Testing

/// Golden files for rendered output under `Tests/DutyAgentTests/Fixtures/golden/`.
///
/// `DUTYWATCH_RECORD=1 swift test` rewrites them from the current output; otherwise the output
/// is compared line by line and every differing line is reported.
enum GoldenFile {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["DUTYWATCH_RECORD"] == "1" }

    /// Checks `actual` against the golden file `name` (or records it).
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("no golden file \(name); record it with DUTYWATCH_RECORD=1 swift test", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if let diff = diff(expected: expected, actual: actual) {
            Issue.record("\(name) differs from the golden file (re-record with DUTYWATCH_RECORD=1 if intended):\n\(diff)",
                         sourceLocation: sourceLocation)
        }
    }

    /// A readable line diff, or nil when equal.
    static func diff(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? e[i] : nil, al = i < a.count ? a[i] : nil
            guard el != al else { continue }
            out.append("line \(i + 1):")
            if let el { out.append("  - \(el)") }
            if let al { out.append("  + \(al)") }
            if out.count > 60 { out.append("…"); break }
        }
        return out.joined(separator: "\n")
    }
}
