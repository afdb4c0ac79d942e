import Shared

/// Writes JSON byte by byte in exactly the layout of Foundation's `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`: two-space indents, `"key" : value`,
/// an empty container as `[` newline newline indent `]`, control characters as `\n`, `\t`, … or
/// `\u001f`, everything else (`/` and non-ASCII included) as is.
///
/// The caller writes an object's keys in sorted order; the digest's tests compare the output with
/// `JSONEncoder`'s. Bytes go to `sink` whenever a megabyte has gathered, so a digest of any size
/// is never held whole.
struct PrettyJSONWriter {
    private var buffer: [UInt8] = []
    private let sink: (ArraySlice<UInt8>) throws -> Void
    /// Containers open around the next value.
    private var depth = 0
    /// The open container has no member yet.
    private var empty = false
    /// A key was just written: the value follows on its line.
    private var afterKey = false

    private static let flushSize = 1 << 20

    init(sink: @escaping (ArraySlice<UInt8>) throws -> Void) {
        self.sink = sink
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    /// Hands the rest of the bytes to the sink.
    mutating func finish() throws {
        try sink(buffer[...])
        buffer.removeAll(keepingCapacity: false)
    }

    mutating func beginObject() throws { try open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() throws { try open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// `"name" : ` on a new line of the open object; the value written next belongs to it.
    mutating func key(_ name: StaticString) {
        newMember()
        buffer.append(UInt8(ascii: "\""))
        append(name)
        append("\" : ")
        afterKey = true
    }

    /// A key that is not a literal (a dictionary's); escaped as a string.
    mutating func dynamicKey(_ name: String) {
        newMember()
        afterKey = true    // so that string() starts no member of its own
        string(name)
        append(" : ")
        afterKey = true
    }

    /// Bytes outside any value (the final newline).
    mutating func raw(_ text: StaticString) {
        append(text)
    }

    mutating func string(_ value: String) {
        valueStart()
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var run = 0    // bytes[run..<i] need no escape
            for i in 0..<utf8.count where utf8[i] < 0x20 || utf8[i] == UInt8(ascii: "\"") || utf8[i] == UInt8(ascii: "\\") {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                appendEscaped(utf8[i])
                run = i + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        valueStart()
        buffer.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        valueStart()
        append(value ? "true" : "false")
    }

    /// `"yyyy-MM-dd"`, as `CivilDate` encodes itself.
    mutating func date(_ value: CivilDate) {
        valueStart()
        buffer.append(UInt8(ascii: "\""))
        appendDate(value)
        buffer.append(UInt8(ascii: "\""))
    }

    /// `"yyyy-MM-ddTHH:mm:ss"`, as `LocalDateTime` encodes itself.
    mutating func time(_ value: LocalDateTime) {
        valueStart()
        buffer.append(UInt8(ascii: "\""))
        appendDate(value.date)
        buffer.append(UInt8(ascii: "T"))
        let s = value.secondsOfDay
        appendDigits(s / 3600, 2)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(s / 60 % 60, 2)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(s % 60, 2)
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func appendDate(_ date: CivilDate) {
        let (y, m, d) = date.components
        guard (0...9999).contains(y) else {
            buffer.append(contentsOf: date.description.utf8)
            return
        }
        appendDigits(y, 4)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(m, 2)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(d, 2)
    }

    /// `value` (0 or more) in exactly `width` digits, zeros in front.
    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Before each member of an array or object: a comma after the one before, a new line, the indent.
    private mutating func newMember() {
        if !empty { buffer.append(UInt8(ascii: ",")) }
        empty = false
        buffer.append(UInt8(ascii: "\n"))
        indent(depth)
    }

    private mutating func valueStart() {
        if afterKey {
            afterKey = false
        } else if depth > 0 {
            newMember()
        }
    }

    private mutating func open(_ bracket: UInt8) throws {
        valueStart()
        buffer.append(bracket)
        depth += 1
        empty = true
        if buffer.count >= Self.flushSize {
            try sink(buffer[...])
            buffer.removeAll(keepingCapacity: true)
        }
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if empty { buffer.append(UInt8(ascii: "\n")) }
        buffer.append(UInt8(ascii: "\n"))
        indent(depth)
        buffer.append(bracket)
        empty = false
    }

    private mutating func indent(_ levels: Int) {
        for _ in 0..<(2 * levels) { buffer.append(UInt8(ascii: " ")) }
    }

    /// Appends literal text. (Literals rather than static arrays: an array is retained and
    /// released at every use, which cost as much as the rest of the writer.)
    private mutating func append(_ text: StaticString) {
        let start = text.utf8Start
        for i in 0..<text.utf8CodeUnitCount { buffer.append(start[i]) }
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            append("u00")
            buffer.append(hex.utf8Start[Int(byte >> 4)])
            buffer.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

}
