import Foundation

/// Escaping and number formatting shared by the renderers.
enum ReportText {
    /// `s` with `& < > " '` escaped for HTML text and attribute values.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A CSV cell: quoted when it holds a comma, quote or line break; text starting with `= + - @`
    /// (a formula to spreadsheets) gets an apostrophe first; numbers stay as they are.
    static func csv(_ s: String) -> String {
        var v = s
        if let f = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(f), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text for Markdown (a table cell or a paragraph): pipes escaped, line breaks flattened, and
    /// what a renderer would take as markup made literal. Names and units come from agents' files:
    /// `<script>` must not reach a page as HTML (`& < >` become entities) nor `[x](javascript:…)`
    /// as a link (`[ ] \` and backticks are escaped).
    static func markdown(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|", "[", "]", "\\", "`": out += "\\" + String(c)
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Two decimals: `1.25`.
    static func rate(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        return sign + String(a / 100) + "." + (a % 100 < 10 ? "0" : "") + String(a % 100)
    }

    /// A signed change, `+0.50` / `-0.25` / `0.00`; `—` when there is nothing to compare.
    static func change(_ x: Double?) -> String {
        guard let x else { return "—" }
        let r = rate(x)
        return x > 0 && r != "0.00" ? "+" + r : (r == "-0.00" ? "0.00" : r)
    }

    /// One decimal percentage: `96.7%`.
    static func percent(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return String(tenths / 10) + "." + String(tenths % 10) + "%"
    }

    /// Columns a string takes in a terminal: East Asian wide and full-width characters count two,
    /// combining marks none.
    static func displayWidth(_ s: String) -> Int {
        var w = 0
        for c in s.unicodeScalars {
            let v = c.value
            switch v {
            case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: continue
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x20000...0x3FFFD:
                w += 2
            default: w += 1
            }
        }
        return w
    }

    /// `s` padded with spaces to `width` columns (left-aligned, or right-aligned for numbers).
    static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - displayWidth(s)))
        return right ? fill + s : s + fill
    }

    /// `s` cut to at most `width` columns, ending in `…` when cut.
    static func truncate(_ s: String, to width: Int) -> String {
        guard displayWidth(s) > width else { return s }
        var out = ""
        for ch in s {
            if displayWidth(out + String(ch)) > width - 1 { break }
            out.append(ch)
        }
        return out + "…"
    }
}
