import Foundation
import Shared

/// Reading part of a growing badge file: the bytes appended since the last read, or the part of a
/// file's history that still matters, without holding the whole file.
extension BadgeFileReader {
    /// Formats whose records are single lines, so that a file can be read from any line start.
    /// A CSV file (its header is needed) and a UTF-16 file (two bytes per character) are not.
    static func readsFromAnyLine(_ format: BadgeFormat) -> Bool {
        format == .zktecoAttlog || format == .zktecoADMS || format == .jsonLines
    }

    /// How many bytes one chunk of a range read holds at most (plus one line).
    static let rangeChunkBytes = 4 << 20

    /// One chunk of a range read: its records with the file's true line numbers.
    struct RangeChunk {
        var readout: BadgeFileReadout
        /// The 1-based line of the chunk's first line in the file.
        var firstLine: Int
    }

    /// Reads the complete lines of `url` from byte `start` (a line start, line number `firstLine`)
    /// up to `end`, chunk by chunk, so that memory holds one chunk and what `body` keeps.
    ///
    /// Lines end at a line feed; the bytes after the last line feed before `end` (a writer mid-line)
    /// are not read unless `includeTail` (a file that stopped growing without a final newline).
    /// `format` must be one that `readsFromAnyLine`. Returns the offset after the last byte read and
    /// the line number that follows it. Throws an `InputError` naming the file when it cannot be read.
    static func readLines(of url: URL, displayName: String, format: BadgeFormat, from start: Int64, to end: Int64,
                          firstLine: Int, includeTail: Bool,
                          _ body: (RangeChunk) -> Void) throws -> (offset: Int64, nextLine: Int) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw InputError(file: displayName, message: "cannot read the badge file (\(Self.reason(error)))")
        }
        defer { try? handle.close() }
        var position = start
        var line = firstLine
        var carry: [UInt8] = []
        do {
            try handle.seek(toOffset: UInt64(start))
            while position + Int64(carry.count) < end {
                let want = Int(min(Int64(rangeChunkBytes), end - position - Int64(carry.count)))
                guard let data = try handle.read(upToCount: want), !data.isEmpty else { break }
                var bytes = carry
                bytes.append(contentsOf: data)
                carry = []
                let atEnd = position + Int64(bytes.count) >= end
                var cut = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                if atEnd && includeTail { cut = bytes.count }
                if cut < bytes.count { carry = Array(bytes[cut...]) }
                if cut == 0 { continue }
                let chunk = cut == bytes.count ? bytes : Array(bytes[..<cut])
                let lines = readLines(chunk, displayName: displayName, format: format, firstLine: line)
                body(lines)
                // Line feeds count the lines (NUL padding the parser drops included); an unterminated
                // last line read as a tail is one more.
                let feeds = chunk.count(where: { $0 == 0x0A })
                line += chunk.last == 0x0A ? feeds : feeds + 1
                position += Int64(cut)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: displayName, message: "cannot read the badge file (\(Self.reason(error)))")
        }
        return (position, line)
    }

    /// Parses complete lines starting at line `firstLine` of a file: the punches and bad lines carry
    /// the file's true line numbers.
    static func readLines(_ bytes: [UInt8], displayName: String, format: BadgeFormat, firstLine: Int) -> RangeChunk {
        var readout = read(bytes: bytes, displayName: displayName, fileIndex: 0, defaultReader: nil, format: format)
        let shift = firstLine - 1
        if shift != 0 {
            readout.punches.shiftLines(by: Int32(truncatingIfNeeded: shift))
            for i in readout.quality.indices {
                readout.quality[i].line = readout.quality[i].line.map { $0 + shift }
            }
        }
        return RangeChunk(readout: readout, firstLine: firstLine)
    }
}
