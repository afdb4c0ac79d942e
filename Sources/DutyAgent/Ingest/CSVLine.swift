import Foundation

/// Splits one CSV line into fields, on bytes.
///
/// Handles quoted fields (`"a,b"`, `""` for a quote), white space around fields, Excel's
/// leading apostrophe (`'0015`) and its `="0015"` form. Quoted line breaks are not supported:
/// every physical line is one row, so line numbers stay the file's.
struct CSVLine {
    /// One field: the range of its value in the buffer, and whether it holds `""` escapes.
    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// The separator: `,`, tab or `;`.
    let separator: UInt8

    /// Splits `b[start..<end]` into `fields` (cleared first).
    @inline(__always)
    func split(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into fields: inout [Field]) {
        fields.removeAll(keepingCapacity: true)
        var i = start
        while true {
            // Leading white space.
            while i < end, b[i] == ByteText.space || (b[i] == ByteText.tab && separator != ByteText.tab) { i += 1 }
            var field: Field
            if i < end, b[i] == UInt8(ascii: "\"") {
                let contentStart = i + 1
                var j = contentStart
                var escaped = false
                while j < end {
                    if b[j] == UInt8(ascii: "\"") {
                        if j + 1 < end, b[j + 1] == UInt8(ascii: "\"") { escaped = true; j += 2; continue }
                        break
                    }
                    j += 1
                }
                field = Field(start: contentStart, end: j, escaped: escaped)
                i = j < end ? j + 1 : end
                // Anything after the closing quote up to the separator is ignored.
                while i < end, b[i] != separator { i += 1 }
            } else {
                var j = i
                while j < end, b[j] != separator { j += 1 }
                field = Field(start: i, end: j, escaped: false)
                i = j
            }
            field = Self.cleaned(b, field)
            fields.append(field)
            if i >= end { break }
            i += 1  // past the separator
            if i == end { fields.append(Field(start: end, end: end, escaped: false)); break }
        }
    }

    /// The field without surrounding white space, a leading apostrophe or an `="…"` wrapper.
    @inline(__always)
    private static func cleaned(_ b: UnsafeBufferPointer<UInt8>, _ field: Field) -> Field {
        var (s, e) = ByteText.trimmed(b, field.start, field.end)
        if e - s >= 3, b[s] == UInt8(ascii: "="), b[s + 1] == UInt8(ascii: "\""), b[e - 1] == UInt8(ascii: "\"") {
            s += 2
            e -= 1
        }
        if s < e, b[s] == UInt8(ascii: "'") {
            s += 1
            (s, e) = ByteText.trimmed(b, s, e)
        }
        return Field(start: s, end: e, escaped: field.escaped)
    }

    /// The text of `field`, `""` unescaped.
    static func text(_ b: UnsafeBufferPointer<UInt8>, _ field: Field) -> String {
        let raw = ByteText.string(b, field.start, field.end)
        return field.escaped ? raw.replacingOccurrences(of: "\"\"", with: "\"") : raw
    }

    /// The separator of a header line: whichever of `,`, tab and `;` occurs most (`,` on a tie).
    static func separator(of b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        var commas = 0, tabs = 0, semicolons = 0
        var i = start
        while i < end {
            switch b[i] {
            case UInt8(ascii: ","): commas += 1
            case ByteText.tab: tabs += 1
            case UInt8(ascii: ";"): semicolons += 1
            default: break
            }
            i += 1
        }
        if tabs > commas, tabs >= semicolons { return ByteText.tab }
        if semicolons > commas { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }

    /// A header name as compared with aliases: trimmed, ASCII lower-cased, quotes and a BOM removed.
    static func headerKey(_ text: String) -> String {
        var t = text
        if t.hasPrefix("\u{FEFF}") { t.removeFirst() }
        return t.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"'")))
            .lowercased()
    }
}
