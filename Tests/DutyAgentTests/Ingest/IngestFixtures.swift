import Foundation
import Testing
@testable import DutyAgent
import Shared

/// Where the ingest tests find their files: the repository's copy of the shared folder, this test
/// folder's fixtures, and scratch folders of their own.
enum IngestFixtures {
    /// A file of the shared folder, from the repository's copy `Tests/SharedFixtures` (so a clone
    /// with no `../shared` beside it runs these tests), found from this file's path.
    static func shared(_ path: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()  // …/Tests/DutyAgentTests/Ingest
            .deletingLastPathComponent()  // …/Tests/DutyAgentTests
            .deletingLastPathComponent()  // …/Tests
            .appendingPathComponent("SharedFixtures")
            .appendingPathComponent(path)
    }

    /// `Tests/DutyAgentTests/Fixtures/ingest/<name>`.
    static func fixture(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ingest").appendingPathComponent(name)
    }

    /// Fails the test (not skips it) when a file the test needs is missing.
    static func require(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try #require(FileManager.default.fileExists(atPath: url.path), "missing \(url.path)", sourceLocation: sourceLocation)
        return url
    }

    /// Writes `bytes` to a new file named `name` in a fresh temporary folder.
    static func write(_ bytes: [UInt8], named name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func write(_ text: String, named name: String) throws -> URL {
        try write(Array(text.utf8), named: name)
    }

    /// Reads badge text as a file called `name` would be read.
    static func badges(_ text: String, name: String = "1_attlog.dat", reader: String? = nil) -> BadgeFileReadout {
        BadgeFileReader.read(data: Data(text.utf8), displayName: name, fileIndex: 0, defaultReader: reader)
    }

    /// Whether every line is accounted for.
    static func accountsForEveryLine(_ r: BadgeFileReadout) -> Bool {
        r.punches.count + r.badLines + r.blankLines == r.lines
    }
}

extension LocalDateTime {
    /// A time for expectations: `yyyy-MM-dd HH:mm:ss`, which must parse.
    static func at(_ text: String) -> LocalDateTime { LocalDateTime(text)! }
}
