import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `duty-agent check --output` through the real executable: a FIFO and a symlink are written in
/// place (the fix for `--output /dev/null` run as root replacing the device with a file).
@Suite(.timeLimit(.minutes(2)), .enabled(if: E2E.agent != nil || E2E.isCI, "duty-agent is not built"))
struct CheckOutputFileTests {
    static let config = BuiltAgent.scenarios.appendingPathComponent("05-off-post/agent.toml").path
    static let range = ["--from", "2026-11-02", "--to", "2026-11-04", "--format", "csv"]

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & S_IFMT
    }

    @Test func checkWritesThroughAFIFOAndASymlinkAndReplacesOnlyRegularFiles() async throws {
        guard let agent = E2E.agent else { throw E2EFailure("duty-agent is not built") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("duty-output-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let plain = try await ChildProcess.execute(agent, ["check", "--config", Self.config] + Self.range, folder: work, label: "stdout")
        #expect(plain.status == 0 && plain.stdout.split(separator: "\n").count > 2, "\(plain.stderr)")

        let fifo = work.appendingPathComponent("digest.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = FIFOReader(fifo)
        let viaFIFO = try await ChildProcess.execute(agent, ["check", "--config", Self.config, "--output", fifo] + Self.range,
                                                     folder: work, label: "fifo")
        #expect(viaFIFO.status == 0, "\(viaFIFO.stderr)")
        #expect(await reader.text() == plain.stdout)
        #expect(Self.kind(fifo) == S_IFIFO, "the FIFO is still a FIFO")

        let target = work.appendingPathComponent("kept.csv").path
        let link = work.appendingPathComponent("latest.csv").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink(target, link) == 0)
        let viaLink = try await ChildProcess.execute(agent, ["check", "--config", Self.config, "--output", link] + Self.range,
                                                     folder: work, label: "link")
        #expect(viaLink.status == 0, "\(viaLink.stderr)")
        #expect(Self.kind(link) == S_IFLNK, "the link is still a link")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == plain.stdout)

        let folderOutput = try await ChildProcess.execute(agent, ["check", "--config", Self.config, "--output", work.path] + Self.range,
                                                          folder: work, label: "folder")
        #expect(folderOutput.status == 1 && folderOutput.stderr.contains("--output"), "\(folderOutput.stderr)")
    }
}
