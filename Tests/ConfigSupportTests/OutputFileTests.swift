import ConfigSupport
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct OutputFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("output-file-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & S_IFMT
    }

    static func inode(_ path: String) -> UInt64 {
        var info = stat()
        _ = lstat(path, &info)
        return UInt64(info.st_ino)
    }

    @Test func aNewFileIsCreatedAndARegularFileReplacedAtomically() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("digest.txt").path
        try OutputFile.write(Data("first\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        chmod(path, 0o600)
        let before = Self.inode(path)
        try OutputFile.write(Data("second\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(Self.inode(path) != before, "a regular file is replaced by a rename, not rewritten")
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600, "the replaced file keeps its mode")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["digest.txt"], "no temporary file is left")
    }

    @Test func aSymlinksTargetIsWrittenInPlaceAndTheLinkStays() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.txt").path
        let link = folder.appendingPathComponent("latest.txt").path
        try Data("old content that is longer\n".utf8).write(to: URL(fileURLWithPath: target))
        let targetInode = Self.inode(target)
        #expect(symlink(target, link) == 0)
        try OutputFile.write(Data("new\n".utf8), to: link)
        #expect(Self.kind(link) == S_IFLNK, "the link is still a link")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n", "the target is truncated and written")
        #expect(Self.inode(target) == targetInode, "the target is written in place")
    }

    @Test func aFIFOIsWrittenInPlaceAndStaysAFIFO() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = FIFOReader(fifo)
        let text = String(repeating: "一行报告\n", count: 5000)
        try OutputFile.write(Data(text.utf8), to: fifo)
        #expect(await reader.text() == text)
        #expect(Self.kind(fifo) == S_IFIFO, "the FIFO was not replaced by a regular file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pipe"])
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        // /dev/null itself is only written to, never replaced; the check is that it is still a device.
        try OutputFile.write(Data("discarded".utf8), to: "/dev/null")
        #expect(Self.kind("/dev/null") == S_IFCHR)
    }

    @Test func aFolderOrAMissingFolderIsAClearError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: OutputFileError(path: folder.path, operation: "write", errno: EISDIR)) {
            try OutputFile.write(Data("x".utf8), to: folder.path)
        }
        let missing = folder.appendingPathComponent("no/such/folder.txt").path
        do {
            try OutputFile.write(Data("x".utf8), to: missing)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.description.contains(missing) && error.errno == ENOENT, "\(error)")
        }
    }
}
