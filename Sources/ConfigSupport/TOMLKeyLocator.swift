import Foundation

/// Finds the line of a key in a TOML text, for error messages (TOMLKit gives lines only for syntax errors).
///
/// Keys are named as the config errors name them: `site.id`, `shift[2].start` (the second `[[shift]]`,
/// counting from 1), `shift[2]` for the table header itself. Both programs' config readers use it.
public struct TOMLKeyLocator: Sendable {
    private var lines: [String: Int] = [:]

    /// Scans `text` once.
    public init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[[") {
                guard let close = line.range(of: "]]") else { continue }
                let name = Self.unquote(String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound]))
                arrayCounts[name, default: 0] += 1
                table = "\(name)[\(arrayCounts[name]!)]"
                record(table, lineNumber)
            } else if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { continue }
                table = Self.unquote(String(line[line.index(after: line.startIndex)..<close]))
                record(table, lineNumber)
            } else if let eq = Self.keyEnd(line) {
                let key = Self.unquote(String(line[..<eq]))
                record(table.isEmpty ? key : "\(table).\(key)", lineNumber)
            }
        }
    }

    /// The 1-based line of `key`, or of the closest enclosing table that was found.
    public func line(of key: String) -> Int? {
        var k = Substring(key)
        while true {
            if let l = lines[String(k)] { return l }
            guard let cut = k.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            k = k[..<cut]
        }
    }

    private mutating func record(_ key: String, _ line: Int) {
        if lines[key] == nil { lines[key] = line }
    }

    /// The index of `=` when the line starts with a (bare, dotted or quoted) key.
    private static func keyEnd(_ line: String) -> String.Index? {
        guard let first = line.first, first != "#", first != "\"" || line.contains("=") else { return nil }
        var inQuote: Character?
        for i in line.indices {
            let c = line[i]
            if let q = inQuote {
                if c == q { inQuote = nil }
            } else if c == "\"" || c == "'" {
                inQuote = c
            } else if c == "=" {
                return i
            } else if !(c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." || c == " " || c == "\t") {
                return nil
            }
        }
        return nil
    }

    /// `a . "b c"` → `a.b c`.
    private static func unquote(_ key: String) -> String {
        key.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.joined(separator: ".")
    }
}
