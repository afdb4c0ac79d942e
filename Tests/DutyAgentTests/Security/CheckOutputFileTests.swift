import Foundation
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
        let reader = CheckFIFOReader(fifo)
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


/// Reads a FIFO to its end on a thread of its own, started at once (a blocking open or read on the
/// two-thread cooperative pool could starve the writer), opened non-blocking so a writer that never
/// comes ends the wait after `seconds` instead of hanging the run.
final class CheckFIFOReader: @unchecked Sendable {
    private let lock = NSLock()
    private var result: String?
    private var waiter: CheckedContinuation<String, Never>?

    init(_ path: String, seconds: Double = 60) {
        Thread.detachNewThread { [self] in finish(Self.read(path, seconds: seconds)) }
    }

    /// Everything read, once the writer closed (or the time ran out).
    func text() async -> String {
        await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> String? in
                if result == nil { waiter = continuation }
                return result
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func finish(_ text: String) {
        let waiting = lock.withLock { () -> CheckedContinuation<String, Never>? in
            result = text
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: text)
    }

    private static func read(_ path: String, seconds: Double) -> String {
        var bytes: [UInt8] = []
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n > 0 { bytes += chunk[..<n] } else if n == 0, p.revents & Int16(POLLHUP) != 0 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
