/// Terminal column widths: East Asian wide and fullwidth characters take two columns,
/// combining marks none, everything else one.
enum DisplayWidth {
    /// The columns `text` takes on a terminal.
    static func of(_ text: String) -> Int {
        var w = 0
        for s in text.unicodeScalars { w += width(s.value) }
        return w
    }

    /// `text` padded with spaces to `columns` (left-aligned, or right-aligned for numbers).
    static func pad(_ text: String, to columns: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, columns - of(text)))
        return right ? fill + text : text + fill
    }

    private static func width(_ v: UInt32) -> Int {
        if v == 0 || (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFE0F { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }
}
