import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations that survive a crash or a power cut: after one returns, the change is on disk;
/// if the process dies during one, the file holds either its old or its new content, never a mix.
enum DurableFile {
    /// Writes `data` to `url` through a temporary file in the same folder: write, fsync, rename over
    /// `url`, fsync of the folder. The temporary file is removed if any step fails.
    static func write(_ data: Data, to url: URL) throws(SpoolError) {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "create", path: temp.path, errno: errno) }
        var failure: SpoolError?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io(operation: "write", path: temp.path, errno: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .io(operation: "fsync", path: temp.path, errno: errno) }
        if close(fd) != 0, failure == nil { failure = .io(operation: "close", path: temp.path, errno: errno) }
        if let failure {
            unlink(temp.path)
            throw failure
        }
        guard rename(temp.path, url.path) == 0 else {
            let code = errno
            unlink(temp.path)
            throw .io(operation: "rename", path: url.path, errno: code)
        }
        try syncFolder(folder)
    }

    /// Moves `from` to `to` (same file system) and makes both folders durable.
    static func move(_ from: URL, to: URL) throws(SpoolError) {
        guard rename(from.path, to.path) == 0 else { throw .io(operation: "rename", path: from.path, errno: errno) }
        try syncFolder(to.deletingLastPathComponent())
        try syncFolder(from.deletingLastPathComponent())
    }

    /// Removes `url` and makes the removal durable; a file already gone is not an error.
    static func remove(_ url: URL) throws(SpoolError) {
        if unlink(url.path) != 0, errno != ENOENT { throw .io(operation: "remove", path: url.path, errno: errno) }
        try syncFolder(url.deletingLastPathComponent())
    }

    /// Creates `url` (and its parents) as a folder if needed; `mode` applies to `url` when it is created.
    static func makeFolder(_ url: URL, mode: Int? = nil) throws(SpoolError) {
        if FileManager.default.fileExists(atPath: url.path) { return }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: mode.map { [.posixPermissions: $0] })
        } catch {
            throw .io(operation: "create folder", path: url.path, errno: EIO)
        }
    }

    /// fsync of a folder, so that renames and removals in it are on disk.
    static func syncFolder(_ url: URL) throws(SpoolError) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open folder", path: url.path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync folder", path: url.path, errno: errno) }
    }
}

/// write(2), out of reach of `DurableFile.write`'s name.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// A spool operation that failed.
enum SpoolError: Error, Equatable, CustomStringConvertible {
    /// A system call failed on `path`.
    case io(operation: String, path: String, errno: Int32)
    /// Another duty-agent holds the spool.
    case locked(path: String)

    /// Whether the failure is a full disk (or quota), which the agent waits out.
    var isNoSpace: Bool {
        if case .io(_, _, let code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }

    var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        case .locked(let path):
            "another duty-agent is using the spool \(path) (run and push cannot share it at once)"
        }
    }
}
