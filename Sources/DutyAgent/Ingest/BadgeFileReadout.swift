import Shared

/// What one badge file held: its punches, its bad lines, and the count of every line.
///
/// Every physical line is accounted for: `punches.count + bad lines + blankLines == lines`.
struct BadgeFileReadout: Sendable {
    var format: BadgeFormat
    /// The punches, in file order, each with `SourceRef(file: fileIndex, line: 1-based line)`.
    var punches: PunchTable
    /// One `bad_line` item for each line that looked like a record but could not be read,
    /// with the file's display name, the line and a message naming the field that was wrong.
    var quality: [QualityItem]
    /// Physical lines in the file. NUL padding at the end is not a line.
    var lines: Int
    /// Lines that hold no record: empty or white-space lines (a last line of spaces before NUL
    /// padding is one), and a CSV's title and header rows.
    var blankLines: Int

    /// How many lines were bad (the `bad_line` items).
    var badLines: Int { quality.count { $0.kind == .badLine } }

    init(format: BadgeFormat, punches: PunchTable = [], quality: [QualityItem] = [], lines: Int = 0, blankLines: Int = 0) {
        self.format = format
        self.punches = punches
        self.quality = quality
        self.lines = lines
        self.blankLines = blankLines
    }
}

/// Collects a badge file's records line by line, keeping the line accounting.
struct BadgeReadoutBuilder {
    private(set) var readout: BadgeFileReadout
    let displayName: String
    let fileIndex: Int32

    init(format: BadgeFormat, displayName: String, fileIndex: Int32, expectedLines: Int = 0) {
        readout = BadgeFileReadout(format: format)
        readout.punches.reserveCapacity(expectedLines)
        self.displayName = displayName
        self.fileIndex = fileIndex
    }

    /// The badges met so far by their digits (`punch(badge:in:…)`).
    private var badgeNumbers = BadgeNumberCache()

    @inline(__always)
    mutating func punch(badge: String, time: LocalDateTime, reader: String, state: Int16?, line: Int) {
        readout.lines += 1
        readout.punches.append(badge: badge, time: time, reader: reader, state: state,
                               source: SourceRef(file: fileIndex, line: Int32(truncatingIfNeeded: line)))
    }

    /// A punch whose badge is the bytes `b[start..<end]`: a badge number met before is found by its
    /// digits, without a string made for it.
    @inline(__always)
    mutating func punch(badge b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, time: LocalDateTime,
                        reader: String, state: Int16?, line: Int) {
        let key = BadgeNumberCache.key(b, start, end)
        let badge: Int32
        if let key, let known = badgeNumbers.index(of: key) {
            badge = known
        } else {
            badge = readout.punches.internBadge(ByteText.string(b, start, end))
            if let key { badgeNumbers.insert(key, index: badge) }
        }
        readout.lines += 1
        readout.punches.append(badgeAt: badge, time: time, reader: reader, state: state,
                               source: SourceRef(file: fileIndex, line: Int32(truncatingIfNeeded: line)))
    }

    @inline(__always)
    mutating func blank() {
        readout.lines += 1
        readout.blankLines += 1
    }

    /// A line that could not be read: `message` starts with the field (`PIN: …`, `time: …`).
    /// The field is taken from that prefix: a column name as the file writes it, the Chinese name
    /// of a header-less format's field, or none when the whole line is at fault.
    mutating func bad(line: Int, message: String, reader: String? = nil) {
        readout.lines += 1
        readout.quality.append(QualityItem(kind: .badLine, file: displayName, line: line, reader: reader,
                                           field: Self.field(of: message), message: message))
    }

    /// `PIN: …` → 工号; `打卡时间: …` → 打卡时间; `fields: …` → nil (the line as a whole).
    static func field(of message: String) -> String? {
        guard let colon = message.range(of: ": ") else { return nil }
        let name = String(message[..<colon.lowerBound])
        switch name {
        case "fields", "line", "header": return nil
        case "PIN": return "工号"
        case "time": return "打卡时间"
        case "state": return "状态"
        case "device": return "机器号"
        default: return name
        }
    }
}
