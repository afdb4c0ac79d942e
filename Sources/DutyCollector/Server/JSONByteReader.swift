import Foundation

/// Reads JSON values of a known shape straight from bytes, for `SummaryWireDecoding`.
///
/// It accepts a subset of JSON and refuses (throws `Refused`) everything else: numbers other than
/// plain integers of up to 18 digits, text that is not valid UTF-8 or holds a lone surrogate
/// escape, anything malformed. A refusal says nothing about the input; the caller then reads it
/// with `JSONDecoder`, which accepts it or names the problem.
struct JSONByteReader {
    /// The input was not read; `JSONDecoder` decides.
    struct Refused: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Reads `bytes`, which must outlive the reader.
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes.assumingMemoryBound(to: UInt8.self) }

    /// Whether only white space is left.
    mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }

    // MARK: Structure

    /// Reads `{` and calls `member` with each key, the reader standing at the key's value, which
    /// `member` must read; then reads `}`. A key twice in one object is refused (`JSONDecoder`'s
    /// choice among them is its own).
    mutating func object(_ member: (inout JSONByteReader, String) throws(Refused) -> Void) throws(Refused) {
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        var keys: [String] = []
        repeat {
            let key = try string()
            guard !keys.contains(key) else { throw Refused() }
            keys.append(key)
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads `[`, calls `element` once per element (it must read the element), then `]`.
    mutating func array(_ element: (inout JSONByteReader) throws(Refused) -> Void) throws(Refused) {
        try expect(UInt8(ascii: "["))
        if take(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Reads `null` if it is next (true), else reads nothing (false).
    mutating func null() -> Bool { literal("null") }

    // MARK: Values

    mutating func bool() throws(Refused) -> Bool {
        if literal("true") { return true }
        if literal("false") { return false }
        throw Refused()
    }

    /// An integer written `-?(0|[1-9][0-9]*)` with at most 18 digits (so it fits any `Int`).
    mutating func int() throws(Refused) -> Int {
        skipSpace()
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var value = 0
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            guard index - start < 18 else { throw Refused() }
            value = value * 10 + Int(digit)
            index += 1
        }
        let digits = index - start
        guard digits >= 1, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw Refused() }
        // A fraction or exponent (`1.0`, `1e3`) is a number JSONDecoder may or may not take as an Int.
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw Refused()
        }
        return negative ? -value : value
    }

    /// A string; escapes decoded, the text checked to be valid UTF-8.
    mutating func string() throws(Refused) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // The usual case: no escape, so the text is the bytes between the quotes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let s = String(validating: text, as: UTF8.self) else { throw Refused() }
                return s
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Refused() }  // a control character must be escaped
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw Refused() }
                return s
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                throw Refused()
            default:
                out.append(byte)
            }
        }
        throw Refused()
    }

    // MARK: Pieces

    /// The escape after a backslash, appended as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(Refused) {
        guard index < bytes.count else { throw Refused() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by an escaped low one.
                guard literal("\\u", skippingSpace: false) else { throw Refused() }
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Refused() }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw Refused() }  // a lone low surrogate
            out.append(contentsOf: UTF8.encode(scalar)!)
        default:
            throw Refused()
        }
    }

    private mutating func hex4() throws(Refused) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Refused() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Refused()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// JSON's white space: space, tab, line feed, carriage return.
    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Reads `byte` (after white space) if it is next.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws(Refused) {
        guard take(byte) else { throw Refused() }
    }

    /// Reads `word` (after white space, unless told not to) if it is next.
    private mutating func literal(_ word: StaticString, skippingSpace: Bool = true) -> Bool {
        if skippingSpace { skipSpace() }
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { w in
            (0..<count).allSatisfy { bytes[index + $0] == w[$0] }
        }
        if matches { index += count }
        return matches
    }
}
