import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes mapped read-only into memory, unmapped when the value goes.
///
/// Mapped rather than read so that a 100 MB badge file costs no heap; `release(_:)` gives back
/// the pages of a part already parsed, so the memory a file holds while it is read stays a window
/// of it rather than all of it (the kernel reads the pages again should they be touched again).
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps the file at `path`; throws the errno of the failure.
    init(path: String) throws(MappedFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFileError(errno: errno) }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw MappedFileError(errno: EISDIR) }
        length = Int(info.st_size)
        guard length > 0 else {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let m = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw MappedFileError(errno: errno)
        }
        madvise(m, length, MADV_SEQUENTIAL)
        mapping = m
        bytes = UnsafeBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }

    /// Gives the whole pages inside `bytes[range]` back to the kernel: that part is done with.
    func release(_ range: Range<Int>) {
        guard let mapping else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        if start < end { madvise(mapping + start, end - start, MADV_DONTNEED) }
    }
}

/// Why a file could not be mapped: an errno, as a short reason.
struct MappedFileError: Error {
    var errno: Int32

    /// `no such file`, `permission denied`, else the system's sentence.
    var reason: String {
        switch errno {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        default: return String(cString: strerror(errno))
        }
    }
}
