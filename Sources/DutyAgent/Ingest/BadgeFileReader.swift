import Foundation
import Shared

/// Reads badge files in every format the agent knows, detecting the format from the content.
enum BadgeFileReader {
    /// Reads one badge file, detecting its format from content (unless `format` is given).
    ///
    /// The reader id of ZKTeco rows is the N of an `N_attlog.dat` name, else the device column.
    /// Throws an `InputError` naming the file when it cannot be read or holds no badge records
    /// in a known format; a bad line is a `bad_line` item of the readout instead.
    ///
    /// `wholeLinesOnly` reads up to the last line end: a file another process is appending to (an
    /// ADMS journal) may end in a line still being written, which is not a bad line.
    static func read(contentsOf url: URL, displayName: String, fileIndex: Int32,
                     format: BadgeFormat? = nil, wholeLinesOnly: Bool = false) throws -> BadgeFileReadout {
        let file: MappedFile
        do throws(MappedFileError) {
            file = try MappedFile(path: url.path)
        } catch {
            throw InputError(file: displayName, message: "cannot read the badge file (\(error.reason))")
        }
        var bytes = file.bytes
        if wholeLinesOnly {
            let end = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            bytes = UnsafeBufferPointer(rebasing: bytes[..<end])
        }
        let name = url.lastPathComponent
        if TextDecoding.hasUTF16Mark(bytes), let converted = TextDecoding.utf8(fromUTF16: Data(buffer: bytes)) {
            return try converted.withUnsafeBytes { raw in
                try read(raw.bindMemory(to: UInt8.self), displayName: displayName, name: name, fileIndex: fileIndex,
                         format: format, mapped: nil)
            }
        }
        return try read(bytes, displayName: displayName, name: name, fileIndex: fileIndex, format: format,
                        mapped: file)
    }

    /// `read(contentsOf:…)` once the bytes are UTF-8 (or GB18030); `mapped` gets parsed parts back.
    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, displayName: String, name: String, fileIndex: Int32,
                             format: BadgeFormat?, mapped: MappedFile?) throws -> BadgeFileReadout {
        guard let detected = format ?? BadgeFormatDetector.detect(bytes, name: name, hasDefaultReader: false) else {
            let end = ByteText.endWithoutPadding(bytes)
            if ByteText.isBlank(bytes, min(ByteText.bomLength(bytes), end), end) {
                return parse(bytes, format: .zktecoAttlog, displayName: displayName, name: name,
                             fileIndex: fileIndex, defaultReader: nil)
            }
            throw InputError(file: displayName, field: "format", message: BadgeFormatDetector.unknownFormatMessage)
        }
        return parse(bytes, format: detected, displayName: displayName, name: name, fileIndex: fileIndex, defaultReader: nil,
                     release: mapped.map { file in { file.release($0) } })
    }

    /// Reads badge records from `bytes`, as `read(data:…)` does.
    static func read(bytes: [UInt8], displayName: String, fileIndex: Int32, defaultReader: String?,
                     format: BadgeFormat? = nil) -> BadgeFileReadout {
        read(data: Data(bytes), displayName: displayName, fileIndex: fileIndex, defaultReader: defaultReader, format: format)
    }

    /// Reads badge records from `data` (a test fixture, an ADMS push body).
    ///
    /// `defaultReader` is the reader of every punch (the ADMS SN); nil takes it from an
    /// `N_attlog.dat` display name, else the device column, else the display name's stem.
    /// Content in no known format comes back with every non-blank line a `bad_line`.
    static func read(data: Data, displayName: String, fileIndex: Int32, defaultReader: String?,
                     format: BadgeFormat? = nil) -> BadgeFileReadout {
        let name = (displayName as NSString).lastPathComponent
        let data = TextDecoding.utf8(fromUTF16: data) ?? data
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let detected = format ?? BadgeFormatDetector.detect(bytes, name: name, hasDefaultReader: defaultReader != nil)
            return parse(bytes, format: detected ?? .csv, displayName: displayName, name: name, fileIndex: fileIndex,
                         defaultReader: defaultReader)
        }
    }

    /// The reader id in a file name `N_attlog.dat` (the digits before `_attlog.dat`), else nil.
    static func readerFromName(_ name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasSuffix("_attlog.dat") else { return nil }
        let stem = lower.dropLast("_attlog.dat".count)
        let digits = stem.reversed().prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits.reversed())
    }

    /// The file name without its extension: the reader of last resort.
    static func stem(_ name: String) -> String {
        let s = (name as NSString).deletingPathExtension
        return s.isEmpty ? name : s
    }

    /// How much of a ZKTeco file is parsed before its pages are given back (`release`).
    static let window = 4 << 20

    /// Parses `bytes`; `release`, when given, is told each part of the bytes that is done with.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, format: BadgeFormat, displayName: String, name: String,
                              fileIndex: Int32, defaultReader: String?,
                              release: ((Range<Int>) -> Void)? = nil) -> BadgeFileReadout {
        let end = ByteText.endWithoutPadding(bytes)
        let start = ByteText.bomLength(bytes)
        let fallback = defaultReader ?? readerFromName(name) ?? stem(name)
        switch format {
        case .zktecoAttlog, .zktecoADMS:
            var builder = BadgeReadoutBuilder(format: format, displayName: displayName, fileIndex: fileIndex,
                                              expectedLines: ByteText.lineCount(bytes, from: min(start, end), to: end))
            let fixed = format == .zktecoAttlog ? defaultReader ?? readerFromName(name) : fallback
            let parser = ZKTecoLogParser(format: format, reader: fixed, fallbackReader: fallback)
            // A window at a time, each ending at a line end, its pages given back once parsed.
            var position = min(start, end)
            while position < end {
                let windowEnd = ByteText.lineEnd(bytes, after: position + window, to: end)
                parser.parse(bytes, from: position, to: windowEnd, firstLine: builder.readout.lines + 1, into: &builder)
                release?(position..<windowEnd)
                position = windowEnd
            }
            return builder.readout
        case .jsonLines:
            var builder = BadgeReadoutBuilder(format: format, displayName: displayName, fileIndex: fileIndex)
            JSONLinesParser(fallbackReader: fallback).parse(bytes, from: min(start, end), to: end, into: &builder)
            return builder.readout
        case .csv:
            var builder = BadgeReadoutBuilder(format: format, displayName: displayName, fileIndex: fileIndex,
                                              expectedLines: end / 30)
            let parser = BadgeCSVParser(fallbackReader: fallback)
            if TextDecoding.encoding(of: UnsafeBufferPointer(rebasing: bytes[0..<end])) == .utf8 {
                parser.parse(bytes, from: min(start, end), to: end, into: &builder)
            } else {
                let converted = TextDecoding.utf8(fromGB18030: UnsafeBufferPointer(rebasing: bytes[0..<end]))
                converted.withUnsafeBufferPointer { parser.parse($0, from: 0, to: $0.count, into: &builder) }
            }
            return builder.readout
        }
    }

    /// A short reason for a file error (`no such file`, `permission denied`).
    static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission: return "permission denied"
            default: break
            }
        }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
