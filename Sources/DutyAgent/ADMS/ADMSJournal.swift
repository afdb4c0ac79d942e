import Foundation
import Shared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One reader's journal file: lines are appended and fsynced before the device hears `OK`, and a
/// line already in the file (a retried upload) is not written again. The set of lines present is
/// rebuilt from the file when it is opened, so it survives a restart.
final class ADMSJournal {
    let url: URL
    private var fd: Int32 = -1
    private var keys: Set<String> = []
    private var size: off_t = 0

    /// Opens (creating) the journal at `url`. A last line without its newline, cut by a crash
    /// before it was fsynced and acknowledged, is cut off: the device sends it again.
    init(url: URL) throws(SpoolError) {
        self.url = url
        let folder = url.deletingLastPathComponent()
        try DurableFile.makeFolder(folder)
        let existed = FileManager.default.fileExists(atPath: url.path)
        fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: url.path, errno: errno) }
        if !existed {
            try DurableFile.syncFolder(folder)
        }
        // A journal that cannot be read must not look empty: the next append would write at offset 0,
        // over punches the devices were already told are stored.
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(data.count)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let failure = errno
                close(fd)
                throw .io(operation: "read", path: url.path, errno: failure)
            }
            if n == 0 { break }
            data += chunk[0..<n]
        }
        var complete = 0
        data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var start = 0
            for i in 0..<b.count where b[i] == ByteText.lf {
                var e = i
                if e > start, b[e - 1] == ByteText.cr { e -= 1 }
                if e > start { keys.insert(ADMSJournalLine.key(Array(b[start..<e])[...])) }
                start = i + 1
                complete = i + 1
            }
        }
        if complete < data.count {
            guard ftruncate(fd, off_t(complete)) == 0, fsync(fd) == 0 else {
                throw .io(operation: "cut the unfinished last line of", path: url.path, errno: errno)
            }
        }
        size = off_t(complete)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// How many distinct lines the journal holds.
    var count: Int { keys.count }

    /// Appends the lines of `records` and `rejected` not already in the journal, then fsyncs; returns
    /// how many were new. On a failure nothing of this call stays in the file.
    func append(_ records: [ADMSRecord], rejected: [ATTLOGBatch.Rejected], reader: String) throws(SpoolError) -> Int {
        var bytes: [UInt8] = []
        var added: [String] = []
        var batchKeys = Set<String>()
        for r in records {
            let k = r.key
            guard !keys.contains(k), batchKeys.insert(k).inserted else { continue }
            added.append(k)
            bytes += ADMSJournalLine.encode(r, reader: reader)
        }
        for r in rejected {
            let k = ADMSJournalLine.key(r)
            guard !keys.contains(k), batchKeys.insert(k).inserted else { continue }
            added.append(k)
            bytes += ADMSJournalLine.encodeRejected(r)
        }
        if bytes.isEmpty { return 0 }
        var failure: SpoolError?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = pwrite(fd, raw.baseAddress! + offset, raw.count - offset, size + off_t(offset))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io(operation: "write", path: url.path, errno: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .io(operation: "fsync", path: url.path, errno: errno) }
        if let failure {
            _ = ftruncate(fd, size)
            throw failure
        }
        size += off_t(bytes.count)
        keys.formUnion(added)
        return added.count
    }
}
