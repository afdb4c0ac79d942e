import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a command's `--output` file the way its user expects whatever the path is.
///
/// - a regular file, or nothing yet: replaced atomically (a temporary file in the same folder,
///   fsync, rename), so a reader never sees half a report; an existing file keeps its mode;
/// - a device (`/dev/null`, `/dev/stdout`), a FIFO or a socket: written in place, never replaced
///   (renaming over `/dev/null` as root would put a regular file where the device was);
/// - a symbolic link: its target is written in place and the link stays a link;
/// - a folder: an error.
///
/// Both programs' `--output` options use it (`duty-agent check`, `duty-collector bulletin` and
/// `digest`).
public enum OutputFile {
    /// Writes `data` to `path` as described above; throws a sentence naming the path.
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw OutputFileError(path: path, operation: "inspect", errno: errno) }
            try replaceAtomically(path, with: data, mode: 0o644)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            try replaceAtomically(path, with: data, mode: info.st_mode & 0o7777)
        case S_IFDIR:
            throw OutputFileError(path: path, operation: "write", errno: EISDIR)
        case S_IFLNK:
            try writeInPlace(path, data, flags: O_WRONLY | O_CREAT | O_TRUNC)
        default:
            // Devices, FIFOs, sockets: opened as they are; O_TRUNC means nothing to them.
            try writeInPlace(path, data, flags: O_WRONLY)
        }
    }

    private static func writeInPlace(_ path: String, _ data: Data, flags: Int32) throws(OutputFileError) {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputFileError(path: path, operation: "open", errno: errno) }
        if let code = writeAll(fd, data) {
            close(fd)
            throw OutputFileError(path: path, operation: "write", errno: code)
        }
        guard close(fd) == 0 else { throw OutputFileError(path: path, operation: "close", errno: errno) }
    }

    private static func replaceAtomically(_ path: String, with data: Data, mode: mode_t) throws(OutputFileError) {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        // O_EXCL: a file or a link planted under the temporary name is never followed.
        var fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0, errno == EEXIST {
            unlink(temp)
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw OutputFileError(path: path, operation: "create a temporary file beside", errno: errno) }
        var failure: OutputFileError?
        if let code = writeAll(fd, data) {
            failure = OutputFileError(path: path, operation: "write", errno: code)
        } else if fchmod(fd, mode) != 0 {
            failure = OutputFileError(path: path, operation: "set the mode of", errno: errno)
        } else if fsync(fd) != 0 {
            failure = OutputFileError(path: path, operation: "fsync", errno: errno)
        }
        if close(fd) != 0, failure == nil { failure = OutputFileError(path: path, operation: "close", errno: errno) }
        if failure == nil, rename(temp, path) != 0 { failure = OutputFileError(path: path, operation: "replace", errno: errno) }
        if let failure {
            unlink(temp)
            throw failure
        }
    }

    /// Writes all of `data`; the errno of a failure, nil on success.
    private static func writeAll(_ fd: Int32, _ data: Data) -> Int32? {
        data.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
    }
}

/// write(2), out of reach of `OutputFile.write`'s name.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// An `--output` file that could not be written, as a sentence.
public struct OutputFileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    /// The reason alone (`Is a directory`), for messages that already name the path.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
