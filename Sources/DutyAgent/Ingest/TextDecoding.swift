import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings found in exports, and conversion of GB18030 to UTF-8 bytes.
///
/// Chinese Excel and attendance software write GB18030 (GBK); everything else is UTF-8,
/// sometimes with a byte order mark. A file that is valid UTF-8 is UTF-8; otherwise it is read
/// as GB18030. Line breaks are ASCII in both, so line numbers are the same after conversion.
enum TextDecoding {
    /// An encoding a file was read in.
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    /// Whether `bytes` is valid UTF-8. With `allowTruncatedEnd`, a sequence cut short by the end
    /// of the buffer (a sample of a longer file) still counts as valid.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool = false) -> Bool {
        let n = bytes.count
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
            default: return false
            }
            if i + length > n {
                guard allowTruncatedEnd else { return false }
                // Check what is there.
                if i + 1 < n, bytes[i + 1] < low || bytes[i + 1] > high { return false }
                var k = i + 2
                while k < n { if bytes[k] & 0xC0 != 0x80 { return false }; k += 1 }
                return true
            }
            if bytes[i + 1] < low || bytes[i + 1] > high { return false }
            var k = i + 2
            while k < i + length {
                if bytes[k] & 0xC0 != 0x80 { return false }
                k += 1
            }
            i += length
        }
        return true
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

    /// Calls `body` with UTF-8 bytes of `data` (its own bytes when they are valid UTF-8, else
    /// the GB18030 conversion) and the encoding used. A byte order mark is left in place.
    static func withUTF8<R>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>, Encoding) throws -> R) rethrows -> R {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if isValidUTF8(bytes) { return try body(bytes, .utf8) }
            let converted = utf8(fromGB18030: bytes)
            return try converted.withUnsafeBufferPointer { try body($0, .gb18030) }
        }
    }
}
