import Foundation

/// Tells a badge file's format from its first lines, not its name.
///
/// The first decisive line wins: a line starting with `{` is JSON lines; a CSV header (a badge
/// column and a time column) is CSV; a tab- or `|`-separated line whose second field starts
/// with a date is ZKTeco. ZKTeco USB attlog and ADMS look alike; attlog pads its PINs with
/// spaces and is named `N_attlog.dat`, ADMS records carry more than six fields or come with an SN.
enum BadgeFormatDetector {
    /// How much of a file is looked at.
    static let sampleBytes = 64 * 1024
    /// How many non-blank lines are looked at.
    static let sampleLines = 50

    static let unknownFormatMessage = "not a badge file: no ZKTeco attlog or ADMS record, JSON object, or CSV header "
        + "with a badge column (工号, 考勤号码, AC-No., id, …) and a time column (日期时间, 打卡时间, time, …) in its first lines"

    /// The format of `bytes`, or nil when no line is decisive.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, name: String, hasDefaultReader: Bool) -> BadgeFormat? {
        let end = min(ByteText.endWithoutPadding(bytes), sampleBytes)
        let start = min(ByteText.bomLength(bytes), end)
        let sample = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if TextDecoding.encoding(of: sample, allowTruncatedEnd: true) == .utf8 {
            return detect(utf8: sample, from: start, name: name, hasDefaultReader: hasDefaultReader)
        }
        let converted = TextDecoding.utf8(fromGB18030: sample)
        return converted.withUnsafeBufferPointer {
            detect(utf8: $0, from: 0, name: name, hasDefaultReader: hasDefaultReader)
        }
    }

    private static func detect(utf8 b: UnsafeBufferPointer<UInt8>, from start: Int, name: String,
                               hasDefaultReader: Bool) -> BadgeFormat? {
        var decided: BadgeFormat?
        var zkteco = false
        var padded = false
        var maxFields = 0
        var nonBlank = 0
        var fields: [CSVLine.Field] = []
        ByteText.forEachLine(b, from: start, to: b.count) { s, e, line in
            if ByteText.isBlank(b, s, e) { return true }
            nonBlank += 1
            if !zkteco {
                let (ts, _) = ByteText.trimmed(b, s, e)
                if b[ts] == UInt8(ascii: "{") { decided = .jsonLines; return false }
                if BadgeCSVParser.header(b, s, e, line: line, fields: &fields) != nil { decided = .csv; return false }
            }
            if let (count, pinPadded) = zktecoShape(b, s, e) {
                zkteco = true
                padded = padded || pinPadded
                maxFields = max(maxFields, count)
            }
            return nonBlank < sampleLines
        }
        if let decided { return decided }
        guard zkteco else { return nil }
        if padded || name.lowercased().hasSuffix("attlog.dat") { return .zktecoAttlog }
        if maxFields > 6 || hasDefaultReader { return .zktecoADMS }
        return .zktecoAttlog
    }

    /// For a line shaped like a ZKTeco record (tab or `|` separated, the second field starting
    /// with `yyyy-` or `yyyy/`): its field count and whether the PIN is padded with spaces.
    private static func zktecoShape(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Bool)? {
        var separator: UInt8 = 0
        var i = s
        while i < e {
            if b[i] == ByteText.tab || b[i] == UInt8(ascii: "|") { separator = b[i]; break }
            i += 1
        }
        guard separator != 0 else { return nil }
        let pinEnd = i
        var (t, _) = ByteText.trimmed(b, i + 1, e)
        guard e - t >= 5, ByteText.allDigits(b, t, t + 4), b[t + 4] == UInt8(ascii: "-") || b[t + 4] == UInt8(ascii: "/")
        else { return nil }
        var count = 1
        t = s
        while t < e { if b[t] == separator { count += 1 }; t += 1 }
        let padded = pinEnd > s && b[s] == ByteText.space
        return (count, padded)
    }
}
