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
        let file = try open(path)
        do throws(OutputFileError) {
            try file.write(data)
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }

    /// Opens `path` for writing in pieces, as `write(_:to:)` writes it whole: a regular file (or
    /// nothing yet) is written to a temporary file beside it that `commit()` renames over it, so a
    /// reader never sees half a report, and `discard()` removes; anything else is written in place.
    public static func open(_ path: String) throws(OutputFileError) -> Stream {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw OutputFileError(path: path, operation: "inspect", errno: errno) }
            return try Stream(replacing: path, mode: 0o644)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return try Stream(replacing: path, mode: info.st_mode & 0o7777)
        case S_IFDIR:
            throw OutputFileError(path: path, operation: "write", errno: EISDIR)
        case S_IFLNK:
            return try Stream(inPlace: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
        default:
            // Devices, FIFOs, sockets: opened as they are; O_TRUNC means nothing to them.
            return try Stream(inPlace: path, flags: O_WRONLY)
        }
    }

    /// An output file being written; finish it with `commit()` or `discard()`.
    public final class Stream {
        private let path: String
        private var fd: Int32
        /// The temporary file renamed over `path` on commit; nil when writing in place.
        private let temp: String?
        private let mode: mode_t

        fileprivate init(inPlace path: String, flags: Int32) throws(OutputFileError) {
            let fd = systemOpen(path, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw OutputFileError(path: path, operation: "open", errno: errno) }
            self.path = path
            self.fd = fd
            self.temp = nil
            self.mode = 0o644
        }

        fileprivate init(replacing path: String, mode: mode_t) throws(OutputFileError) {
            let url = URL(fileURLWithPath: path)
            let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
            // O_EXCL: a file or a link planted under the temporary name is never followed.
            var fd = systemOpen(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd < 0, errno == EEXIST {
                unlink(temp)
                fd = systemOpen(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            }
            guard fd >= 0 else { throw OutputFileError(path: path, operation: "create a temporary file beside", errno: errno) }
            self.path = path
            self.fd = fd
            self.temp = temp
            self.mode = mode
        }

        deinit { if fd >= 0 { discard() } }

        /// Writes all of `bytes`.
        public func write(_ bytes: some ContiguousBytes) throws(OutputFileError) {
            let failure = bytes.withUnsafeBytes { raw -> OutputFileError? in
                do throws(OutputFileError) {
                    try write(raw)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }

        private func write(_ bytes: UnsafeRawBufferPointer) throws(OutputFileError) {
            var offset = 0
            while offset < bytes.count {
                let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutputFileError(path: path, operation: "write", errno: errno)
                }
                offset += n
            }
        }

        /// Finishes the file: a replaced file is given its mode, synced and renamed over the path.
        public func commit() throws(OutputFileError) {
            guard let temp else {
                let code = close(fd) == 0 ? nil : errno
                fd = -1
                if let code { throw OutputFileError(path: path, operation: "close", errno: code) }
                return
            }
            var failure: OutputFileError?
            if fchmod(fd, mode) != 0 {
                failure = OutputFileError(path: path, operation: "set the mode of", errno: errno)
            } else if fsync(fd) != 0 {
                failure = OutputFileError(path: path, operation: "fsync", errno: errno)
            }
            if close(fd) != 0, failure == nil { failure = OutputFileError(path: path, operation: "close", errno: errno) }
            fd = -1
            if failure == nil, rename(temp, path) != 0 { failure = OutputFileError(path: path, operation: "replace", errno: errno) }
            if let failure {
                unlink(temp)
                throw failure
            }
        }

        /// Abandons the file: a replaced file is left as it was (the temporary file removed).
        public func discard() {
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
            if let temp { unlink(temp) }
        }
    }
}

/// open(2), out of reach of `OutputFile.open`'s name.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.open(path, flags, mode)
    #else
    Darwin.open(path, flags, mode)
    #endif
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
