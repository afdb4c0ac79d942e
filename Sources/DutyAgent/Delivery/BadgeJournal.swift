import Foundation
import Shared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where reading of one badge file stopped, and how to know it is still the same file, as log
/// shippers keep it: device and inode, the size read, and a hash of the first bytes.
struct BadgeCursor: Codable, Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
    /// The start of the first line not read yet.
    var offset: Int64
    /// The 1-based line number at `offset`.
    var nextLine: Int
    /// How many of the file's first bytes `headHash` covers (up to `BadgeJournal.headBytes`).
    var headLength: Int
    var headHash: UInt64
    /// The format when lines can be read from any offset (`zkteco-attlog`, `zkteco-adms`, `jsonl`);
    /// nil: the file is read whole whenever its size or modification time changes.
    var format: String?
    /// Size and modification time (seconds since 1970) when last read.
    var size: Int64
    var modified: Double
    /// The last read took an unterminated last line (the file had stopped growing): any byte added
    /// later makes the file read again from its start.
    var endsMidLine = false
    /// The earliest plausible punch date (2001 or later) in the file, as a day number.
    var firstPlausibleDay: Int?
    /// The first punch's line and date (a bad line above every punch takes its date).
    var firstPunchLine: Int?
    var firstPunchDay: Int?
    /// The date of the last punch read: a bad line after it takes that date.
    var lastPunchDay: Int?
}

/// The badge files read incrementally: each file's cursor, and the punches and bad lines of the
/// dates still needed (from `heldFrom` on), not the whole history.
struct BadgeJournal: Sendable {
    /// Bytes of a file's start that identify it.
    static let headBytes = 1024
    /// An unterminated last line is taken once its file has not changed for this long.
    static let quietSeconds: Double = 120

    struct Held: Sendable {
        /// Held as the rules take them: a judging hands them over without converting.
        var punches = PunchTable()
        /// Bad lines with the date of the punch above them (nil: none above yet).
        var badLines: [(item: QualityItem, day: Int?)] = []
    }

    var cursors: [String: BadgeCursor] = [:]
    private(set) var held: [String: Held] = [:]
    /// Punches and bad lines dated before this are not held; nil: nothing is held yet.
    private(set) var heldFrom: CivilDate?

    /// How many punches are held, over every file.
    var heldPunches: Int { held.values.reduce(0) { $0 + $1.punches.count } }

    /// Bytes read from the badge files since this journal was made (appended parts, whole files and
    /// rebuilds alike): what a change cost to read.
    private(set) var bytesRead: Int64 = 0

    init() {}

    /// A journal that holds what is dated `from` or later from its first read on (the first
    /// `refresh` reads each file once and keeps that part; `rebuild` is not needed).
    init(holdingFrom from: CivilDate) {
        heldFrom = from
    }

    /// The earliest plausible punch date over every file.
    var firstPlausible: CivilDate? {
        cursors.values.compactMap(\.firstPlausibleDay).min().map { CivilDate(dayNumber: $0) }
    }

    // MARK: Reading

    /// Reads what changed in `files` since the last call: appended complete lines of a file that is
    /// still the same, the whole of a file that is new, replaced, rotated or truncated. Files no
    /// longer named are forgotten. Returns the earliest date whose punches or bad lines changed
    /// (nil: nothing changed). Throws an `InputError` when a file cannot be read.
    mutating func refresh(_ files: [InputFile], now: Date) throws -> CivilDate? {
        var changed: Int?
        func touch(_ day: Int?) { if let day { changed = min(changed ?? day, day) } }
        let named = Set(files.map(\.url.path))
        for (path, cursor) in cursors where !named.contains(path) {
            touch(cursor.firstPunchDay.map { min($0, cursor.firstPlausibleDay ?? $0) })
            cursors[path] = nil
            held[path] = nil
        }
        for file in files {
            let path = file.url.path
            guard let id = Self.identity(path) else {
                throw InputError(file: file.display, message: "cannot read the badge file (\(String(cString: strerror(errno))))")
            }
            if var cursor = cursors[path], Self.isSameFile(cursor, id, path: path) {
                if cursor.format == nil {
                    if id.size == cursor.size && id.modified == cursor.modified { continue }
                } else if id.size == cursor.offset {
                    continue
                } else if !cursor.endsMidLine, let format = BadgeFormat(rawValue: cursor.format!) {
                    let tail = Self.mayEndMidLine(file) && now.timeIntervalSince1970 - id.modified >= Self.quietSeconds
                    let read = try BadgeFileReader.readLines(
                        of: file.url, displayName: file.display, format: format, from: cursor.offset, to: id.size,
                        firstLine: cursor.nextLine, includeTail: tail) { chunk in
                            touch(absorb(chunk, path: path, cursor: &cursor))
                        }
                    cursor.endsMidLine = tail && read.offset > cursor.offset && read.offset == id.size
                        && Self.lastByte(path, at: read.offset - 1) != 0x0A
                    bytesRead += read.offset - cursor.offset
                    cursor.offset = read.offset
                    cursor.nextLine = read.nextLine
                    cursor.size = id.size
                    cursor.modified = id.modified
                    if cursor.headLength < Self.headBytes {
                        (cursor.headLength, cursor.headHash) = Self.head(path, size: id.size)
                    }
                    cursors[path] = cursor
                    continue
                }
            }
            // New, replaced, rotated, truncated, or changed and not readable from an offset: read it all.
            if let old = cursors[path] { touch(old.firstPunchDay.map { min($0, old.firstPlausibleDay ?? $0) }) }
            let cursor = try readWhole(file, id: id, now: now) { touch($0) }
            cursors[path] = cursor
        }
        return changed.map { CivilDate(dayNumber: $0) }
    }

    /// Reads every file again up to its cursor, holding only what is dated `from` or later: after a
    /// restart (nothing held) or when an older date must be judged again. Memory holds one chunk at a
    /// time besides what is kept.
    mutating func rebuild(from: CivilDate, files: [InputFile]) throws {
        heldFrom = from
        held = [:]
        for file in files {
            let path = file.url.path
            guard var cursor = cursors[path] else { continue }
            let end = cursor.offset
            if let name = cursor.format, let format = BadgeFormat(rawValue: name) {
                var fresh = cursor
                fresh.lastPunchDay = nil
                let read = try BadgeFileReader.readLines(of: file.url, displayName: file.display, format: format, from: 0,
                                                         to: end, firstLine: 1, includeTail: cursor.endsMidLine) { chunk in
                    _ = absorb(chunk, path: path, cursor: &fresh)
                }
                bytesRead += read.offset
                cursor.lastPunchDay = fresh.lastPunchDay
                cursors[path] = cursor
            } else {
                let readout = try BadgeFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0,
                                                       format: file.format, wholeLinesOnly: !Self.mayEndMidLine(file))
                var fresh = cursor
                fresh.lastPunchDay = nil
                _ = absorb(BadgeFileReader.RangeChunk(readout: readout, firstLine: 1), path: path, cursor: &fresh)
                bytesRead += cursor.size
            }
        }
    }

    /// Drops what is dated before `from` (kept: bad lines not dated yet).
    mutating func trim(from: CivilDate) {
        guard let current = heldFrom, from > current else { return }
        heldFrom = from
        for path in held.keys {
            held[path]!.punches.removeAll(before: from.midnight)
            held[path]!.badLines.removeAll { ($0.day ?? .max) < from.dayNumber }
        }
    }

    /// Forgets what is held (a full read comes next).
    mutating func dropHeld() {
        held = [:]
        heldFrom = nil
    }

    // MARK: Handing over to the rules

    /// What is held of `file` as a readout whose punches carry `index` as their file.
    func readout(of file: InputFile, index: Int32) -> BadgeFileReadout {
        let path = file.url.path
        let h = held[path] ?? Held()
        var punches = h.punches
        punches.setFile(index)
        let format = cursors[path]?.format.flatMap(BadgeFormat.init(rawValue:)) ?? .csv
        return BadgeFileReadout(format: format, punches: punches, quality: h.badLines.map(\.item),
                                lines: punches.count + h.badLines.count)
    }

    /// Where the held bad lines belong: the date of the punch above them, else the file's first punch.
    func dating(_ files: [InputFile]) -> QualityDating {
        var lines: [String: [(line: Int, date: CivilDate)]] = [:]
        for file in files {
            guard let cursor = cursors[file.url.path], let line = cursor.firstPunchLine, let day = cursor.firstPunchDay
            else { continue }
            var entries = [(line: line, date: CivilDate(dayNumber: day))]
            for bad in held[file.url.path]?.badLines ?? [] {
                if let l = bad.item.line, let d = bad.day { entries.append((l, CivilDate(dayNumber: d))) }
            }
            lines[file.display] = entries
        }
        return QualityDating(lines: lines)
    }

    // MARK: Internals

    /// Adds a chunk's punches and bad lines dated `heldFrom` or later; returns the earliest date it touched.
    private mutating func absorb(_ chunk: BadgeFileReader.RangeChunk, path: String, cursor: inout BadgeCursor) -> Int? {
        let keep = heldFrom?.dayNumber ?? .max
        let plausible = LocalDateTime(date: CivilDate(year: 2001, month: 1, day: 1)!, secondsOfDay: 0)
        var touched: Int?
        var h = held[path] ?? Held()
        held[path] = nil
        let bad = chunk.readout.quality
        var next = 0
        func takeBad(before line: Int) {
            while next < bad.count, (bad[next].line ?? 0) < line {
                let day = cursor.lastPunchDay ?? cursor.firstPunchDay
                if let day { touched = min(touched ?? day, day) }
                if (day ?? .max) >= keep { h.badLines.append((bad[next], cursor.lastPunchDay)) }
                next += 1
            }
        }
        let punches = chunk.readout.punches
        for i in punches.indices {
            let line = Int(punches.source(at: i).line)
            takeBad(before: line)
            let time = punches.time(at: i)
            let day = LocalDateTime(seconds: time).date.dayNumber
            cursor.lastPunchDay = day
            if cursor.firstPunchLine == nil {
                cursor.firstPunchLine = line
                cursor.firstPunchDay = day
            }
            if time >= plausible.seconds {
                cursor.firstPlausibleDay = min(cursor.firstPlausibleDay ?? day, day)
                touched = min(touched ?? day, day)
            }
        }
        if keep != .max { h.punches.append(contentsOf: punches, notBefore: CivilDate(dayNumber: keep).midnight) }
        takeBad(before: .max)
        held[path] = h
        return touched
    }

    /// Reads all of a file into a fresh cursor, holding what is dated `heldFrom` or later.
    private mutating func readWhole(_ file: InputFile, id: Identity, now: Date, touched: (Int?) -> Void) throws -> BadgeCursor {
        let path = file.url.path
        held[path] = nil
        let (headLength, headHash) = Self.head(path, size: id.size)
        var cursor = BadgeCursor(device: id.device, inode: id.inode, offset: 0, nextLine: 1, headLength: headLength,
                                 headHash: headHash, format: nil, size: id.size, modified: id.modified)
        if let format = file.format ?? Self.lineFormat(path, size: id.size, name: file.url.lastPathComponent) {
            cursor.format = format.rawValue
            let tail = Self.mayEndMidLine(file) && now.timeIntervalSince1970 - id.modified >= Self.quietSeconds
            let read = try BadgeFileReader.readLines(of: file.url, displayName: file.display, format: format, from: 0,
                                                     to: id.size, firstLine: 1, includeTail: tail) { chunk in
                touched(absorb(chunk, path: path, cursor: &cursor))
            }
            cursor.offset = read.offset
            cursor.nextLine = read.nextLine
            bytesRead += read.offset
            cursor.endsMidLine = tail && read.offset > 0 && read.offset == id.size
                && Self.lastByte(path, at: read.offset - 1) != 0x0A
        } else {
            let readout = try BadgeFileReader.read(contentsOf: file.url, displayName: file.display, fileIndex: 0,
                                                   format: file.format, wholeLinesOnly: !Self.mayEndMidLine(file))
            touched(absorb(BadgeFileReader.RangeChunk(readout: readout, firstLine: 1), path: path, cursor: &cursor))
            cursor.offset = id.size
            bytesRead += id.size
        }
        return cursor
    }

    /// Whether a last line without its newline is read once the file has been quiet: yes for an
    /// export, whose writer may never add one; no for an ADMS journal (its format is set), whose
    /// receiver writes whole lines only, so a partial one is a write still under way or cut by a
    /// crash (the receiver removes it at start).
    static func mayEndMidLine(_ file: InputFile) -> Bool { file.format == nil }

    /// The format of a file when its lines can be read from any offset (ZKTeco, JSON lines in
    /// UTF-8); nil for CSV, UTF-16, an empty file or one in no known format (read whole, which
    /// reports the problem).
    static func lineFormat(_ path: String, size: Int64, name: String) -> BadgeFormat? {
        guard size > 0, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: BadgeFormatDetector.sampleBytes), data.count >= 2 else { return nil }
        if TextDecoding.utf8(fromUTF16: data) != nil { return nil }
        let format = data.withUnsafeBytes { raw in
            BadgeFormatDetector.detect(raw.bindMemory(to: UInt8.self), name: name, hasDefaultReader: false)
        }
        return format.flatMap { BadgeFileReader.readsFromAnyLine($0) ? $0 : nil }
    }

    struct Identity {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Double
    }

    static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size), modified: modified)
    }

    /// Same device and inode, not shorter than what was read, and the same first bytes.
    static func isSameFile(_ cursor: BadgeCursor, _ id: Identity, path: String) -> Bool {
        guard cursor.device == id.device, cursor.inode == id.inode, id.size >= cursor.offset,
              id.size >= Int64(cursor.headLength) else { return false }
        return head(path, size: Int64(cursor.headLength)) == (cursor.headLength, cursor.headHash)
    }

    /// Length and FNV-1a hash of the first `headBytes` bytes (fewer in a smaller file).
    static func head(_ path: String, size: Int64) -> (Int, UInt64) {
        let length = Int(min(size, Int64(headBytes)))
        guard let handle = FileHandle(forReadingAtPath: path) else { return (0, 0) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: length)) ?? Data()
        return (data.count, FNV1a.of(data))
    }

    static func lastByte(_ path: String, at offset: Int64) -> UInt8? {
        guard offset >= 0, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        return (try? handle.read(upToCount: 1))?.first
    }
}
