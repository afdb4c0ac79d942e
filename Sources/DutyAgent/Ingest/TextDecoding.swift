import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings found in exports, and conversion of GB18030 to UTF-8 bytes.
///
/// Chinese Excel and attendance software write GB18030 (GBK); everything else is UTF-8,
/// sometimes with a byte order mark, and Excel's "Unicode text" is UTF-16 with one. A file that
/// is (nearly) valid UTF-8 is UTF-8; otherwise it is read as GB18030. Line breaks are the same
/// characters in all of them, so line numbers are the same after conversion.
enum TextDecoding {
    /// An encoding a file was read in.
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    /// Whether `bytes` is valid UTF-8. With `allowTruncatedEnd`, a sequence cut short by the end
    /// of the buffer (a sample of a longer file) still counts as valid.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool = false) -> Bool {
        utf8Sequences(bytes, allowTruncatedEnd: allowTruncatedEnd, stopAtFirstInvalid: true).invalid == 0
    }

    /// The encoding of `bytes`: UTF-8 when valid, and also when valid multi-byte sequences
    /// outnumber invalid bytes four to one (a UTF-8 file with a damaged byte stays UTF-8, the
    /// damaged cell alone reads as U+FFFD); GB18030 otherwise.
    static func encoding(of bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool = false) -> Encoding {
        let (valid, invalid) = utf8Sequences(bytes, allowTruncatedEnd: allowTruncatedEnd, stopAtFirstInvalid: false)
        return invalid == 0 || valid >= 4 * invalid ? .utf8 : .gb18030
    }

    /// Counts valid multi-byte UTF-8 sequences and invalid bytes.
    private static func utf8Sequences(_ bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool,
                                      stopAtFirstInvalid: Bool) -> (valid: Int, invalid: Int) {
        let n = bytes.count
        var valid = 0
        var invalid = 0
        var i = 0
        while i < n {
            let c = bytes[i]
            if c < 0x80 { i += 1; continue }
            let length: Int
            let low: UInt8
            let high: UInt8
            switch c {
            case 0xC2...0xDF: length = 2; low = 0x80; high = 0xBF
            case 0xE0: length = 3; low = 0xA0; high = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; low = 0x80; high = 0xBF
            case 0xED: length = 3; low = 0x80; high = 0x9F
            case 0xF0: length = 4; low = 0x90; high = 0xBF
            case 0xF1...0xF3: length = 4; low = 0x80; high = 0xBF
            case 0xF4: length = 4; low = 0x80; high = 0x8F
            default: length = 0; low = 0; high = 0
            }
            var ok = length > 0
            if ok, i + length > n {
                // Cut short by the end of the buffer: fine in a sample if what is there fits.
                ok = allowTruncatedEnd && (i + 1 >= n || (bytes[i + 1] >= low && bytes[i + 1] <= high))
                var k = i + 2
                while ok, k < n { ok = bytes[k] & 0xC0 == 0x80; k += 1 }
                if ok { return (valid, invalid) }
            } else if ok {
                ok = bytes[i + 1] >= low && bytes[i + 1] <= high
                var k = i + 2
                while ok, k < i + length { ok = bytes[k] & 0xC0 == 0x80; k += 1 }
            }
            if ok {
                valid += 1
                i += length
            } else {
                invalid += 1
                if stopAtFirstInvalid { return (valid, invalid) }
                i += 1
            }
        }
        return (valid, invalid)
    }

    /// Whether `bytes` start with a UTF-16 byte order mark (either byte order).
    static func hasUTF16Mark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// `data` as UTF-8 when it is UTF-16 with a byte order mark (Excel's "Unicode text"), else nil.
    static func utf8(fromUTF16 data: Data) -> Data? {
        guard data.count >= 2 else { return nil }
        let (a, b) = (data[data.startIndex], data[data.startIndex + 1])
        guard (a == 0xFF && b == 0xFE) || (a == 0xFE && b == 0xFF) else { return nil }
        guard let text = String(data: data, encoding: .utf16) else { return nil }
        return Data(text.utf8)
    }

    /// GB18030 bytes converted to UTF-8. A byte sequence that is not GB18030 becomes U+FFFD
    /// and conversion goes on with the next byte, so one bad cell does not lose a file.
    static func utf8(fromGB18030 input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard input.count > 0 else { return [] }
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else {
            // No converter on this system: keep ASCII, mark everything else.
            return input.map { $0 < 0x80 ? $0 : 0x3F }
        }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var written = 0
        var offset = 0
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        while offset < input.count {
            var inLeft = input.count - offset
            if output.count - written < 16 { output.append(contentsOf: repeatElement(0, count: output.count)) }
            var outLeft = output.count - written
            let result = output.withUnsafeMutableBufferPointer { out -> Int in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input.baseAddress! + offset)
                    .assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress! + written)
                    .assumingMemoryBound(to: CChar.self)
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            }
            let consumed = (input.count - offset) - inLeft
            offset += consumed
            written = output.count - outLeft
            if result != -1 { break }
            switch errno {
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: output.count))
            default:  // EILSEQ or EINVAL: an invalid or cut-short sequence
                if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: 16)) }
                for (k, byte) in replacement.enumerated() { output[written + k] = byte }
                written += 3
                offset += 1
            }
        }
        output.removeSubrange(written..<output.count)
        return output
    }

    /// Calls `body` with UTF-8 bytes of `data` (its own bytes when they are UTF-8, else the
    /// GB18030 conversion) and the encoding used. A byte order mark is left in place.
    static func withUTF8<R>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>, Encoding) throws -> R) rethrows -> R {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if encoding(of: bytes) == .utf8 { return try body(bytes, .utf8) }
            let converted = utf8(fromGB18030: bytes)
            return try converted.withUnsafeBufferPointer { try body($0, .gb18030) }
        }
    }
}
