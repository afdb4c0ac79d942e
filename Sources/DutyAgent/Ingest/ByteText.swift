import Foundation

/// Byte-level helpers shared by the file readers: lines, blanks, trimming, and showing bad bytes
/// in messages. Everything works on a buffer of the file's bytes and index ranges into it.
enum ByteText {
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let nul: UInt8 = 0

    /// The end of `bytes` once NUL padding at the end is dropped: padding is not a line.
    static func endWithoutPadding(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = bytes.count
        while end > 0, bytes[end - 1] == nul { end -= 1 }
        return end
    }

    /// The length of a UTF-8 byte order mark at the start of `bytes` (0 or 3).
    static func bomLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// How many physical lines `bytes[start..<end]` holds (a last line without `\n` counts).
    static func lineCount(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard let base = bytes.baseAddress, start < end else { return 0 }
        var count = 0
        var i = start
        while let found = memchr(base + i, Int32(lf), end - i) {
            count += 1
            i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
            if i >= end { return count }
        }
        return count + 1
    }

    /// The index just past the first `\n` at or after `position`, or `end` when there is none
    /// (or `position` is past `end`): where a window of whole lines ends.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, after position: Int, to end: Int) -> Int {
        guard let base = bytes.baseAddress, position < end,
              let found = memchr(base + position, Int32(lf), end - position) else { return end }
        return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base + 1
    }

    /// Calls `body(start, end, lineNumber)` for every physical line in `bytes[start..<end]`,
    /// the line's end excluding `\n` and a `\r` before it. Stops early when `body` returns false.
    @inline(__always)
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, firstLine: Int = 1,
                            _ body: (Int, Int, Int) throws -> Bool) rethrows {
        guard let base = bytes.baseAddress, start < end else { return }
        var lineStart = start
        var number = firstLine
        while lineStart < end {
            let rest = end - lineStart
            let found = memchr(base + lineStart, Int32(lf), rest)
            let lineEnd = found.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? end
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == cr { contentEnd -= 1 }
            if try !body(lineStart, contentEnd, number) { return }
            number += 1
            lineStart = lineEnd + 1
        }
    }

    /// Calls `body(start, end, line, lines)` for each CSV record of `bytes[start..<end]`: a physical
    /// line, or several when a quoted cell holds line breaks (`"迟到\n原因"`). `line` is the 1-based
    /// line where the record starts, `lines` how many physical lines it spans. Only lines holding a
    /// quote are scanned for quotes, so plain exports keep the `memchr` pace. Stops when `body`
    /// returns false.
    static func forEachRecord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                              _ body: (Int, Int, Int, Int) throws -> Bool) rethrows {
        guard let base = bytes.baseAddress, start < end else { return }
        var recordStart = start
        var number = 1
        let quote = UInt8(ascii: "\"")
        while recordStart < end {
            var lineStart = recordStart
            var lines = 1
            var open = false
            var lineEnd = end
            while true {
                let found = memchr(base + lineStart, Int32(lf), end - lineStart)
                lineEnd = found.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? end
                if memchr(base + lineStart, Int32(quote), lineEnd - lineStart) != nil {
                    var i = lineStart
                    while i < lineEnd {
                        if bytes[i] == quote { open.toggle() }
                        i += 1
                    }
                }
                if !open || lineEnd >= end { break }
                lines += 1
                lineStart = lineEnd + 1
            }
            var contentEnd = lineEnd
            if contentEnd > recordStart, bytes[contentEnd - 1] == cr { contentEnd -= 1 }
            if try !body(recordStart, contentEnd, number, lines) { return }
            number += lines
            recordStart = lineEnd + 1
        }
    }

    /// Whether `bytes[start..<end]` holds only white space, line breaks and NULs (a blank or padding line).
    @inline(__always)
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            let b = bytes[i]
            if b != space && b != tab && b != cr && b != lf && b != nul && b != 0x0B && b != 0x0C { return false }
            i += 1
        }
        return true
    }

    /// The range `start..<end` without spaces and tabs at either end.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start
        var e = end
        while s < e, bytes[s] == space || bytes[s] == tab { s += 1 }
        while e > s, bytes[e - 1] == space || bytes[e - 1] == tab { e -= 1 }
        return (s, e)
    }

    /// A string of the bytes `start..<end` (UTF-8; invalid bytes become U+FFFD).
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Whether every byte in `start..<end` is an ASCII digit (and there is at least one).
    @inline(__always)
    static func allDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard start < end else { return false }
        var i = start
        while i < end {
            if bytes[i] &- 48 >= 10 { return false }
            i += 1
        }
        return true
    }

    /// The non-negative decimal value of `start..<end`, or nil if it is empty, not all digits or too long.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard start < end, end - start <= 18 else { return nil }
        var v = 0
        var i = start
        while i < end {
            let d = bytes[i] &- 48
            if d >= 10 { return nil }
            v = v * 10 + Int(d)
            i += 1
        }
        return v
    }

    /// Bytes shown for a person to read in a message: quoted, control and invalid bytes as
    /// `\u{1}`-style escapes, cut at 40 characters.
    static func shown(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let text = string(bytes, start, min(end, start + 120))
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 40 { out += "…"; break }
            count += 1
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}" || scalar == "\"" {
                out += scalar == "\"" ? "\\\"" : "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if count < 40, end > start + 120 { out += "…" }
        return out + "\""
    }

    /// Whether `start..<end` contains a control byte (other than tab) or a DEL.
    static func hasControlBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            let b = bytes[i]
            if (b < 0x20 && b != tab) || b == 0x7F { return true }
            i += 1
        }
        return false
    }
}
