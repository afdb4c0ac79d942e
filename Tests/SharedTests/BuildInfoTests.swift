import Foundation
import Shared
import Testing

/// `--version` of a development build: the VERSION file's version, said to be a development build
/// (scripts/package.sh stamps the commit for a release and refuses a BuildInfo that disagrees with VERSION).
@Suite struct BuildInfoTests {
    @Test func versionIsTheVersionFilesAndSaysDevelopmentBuild() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)
        #expect(BuildInfo.version == file.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(BuildInfo.commit == nil)
        #expect(BuildInfo.versionLine == "\(BuildInfo.version) (development build)")
    }
}
