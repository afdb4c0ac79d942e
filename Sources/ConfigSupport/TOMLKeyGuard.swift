/// Finds keys and table names that begin where a TOML bare key may not: a table header whose name
/// starts with anything but an ASCII letter, digit, `-`, `_` or a quote (a line break included: an
/// unclosed `[`), and any bare key (at the start of a line, after a dot, in an inline table) that
/// holds a non-ASCII character; and a `}` or `]` that does not match the bracket it closes (an
/// array given a `}` where a value belongs is another toml++ assertion).
///
/// It scans the text as TOML does, by bytes: strings (basic, literal, multi-line), comments, arrays
/// and inline tables spanning lines, so a `[` inside a value or a string is never taken for a table
/// header. It reports only; whatever else is wrong is left to the TOML parser.
enum TOMLKeyGuard {
    /// The first problem in `text`, nil when there is none.
    static func firstProblem(in text: String) -> TOMLSyntaxError? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func run() -> TOMLSyntaxError? {
            while i < bytes.count {
                skipBlank()
                guard let c = current else { break }
                switch c {
                case UInt8(ascii: "\n"):
                    newline()
                case UInt8(ascii: "#"):
                    skipComment()
                case UInt8(ascii: "["):
                    if let problem = header() { return problem }
                default:
                    if let problem = keyValue() { return problem }
                }
            }
            return nil
        }

        // MARK: statements

        /// `[name]` or `[[name]]`: the first character of the name decides whether toml++ asserts.
        mutating func header() -> TOMLSyntaxError? {
            let open = i
            i += 1
            if current == UInt8(ascii: "[") { i += 1 }
            while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { i += 1 }  // not \r, as toml++
            if let c = current, c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                return problem(at: open, "a table header must be closed on its own line: \(headerText(from: open)) is not")
            }
            if let c = current, c != UInt8(ascii: "]"), !Self.isBareASCII(c), !Self.isQuote(c) {
                return problem(at: i, Self.nameMessage(what: "a table name", in: headerText(from: open)))
            }
            if let problem = keyPath(until: [UInt8(ascii: "]")]) { return problem }
            skipToLineEnd()
            return nil
        }

        /// `key = value` (dotted keys included), the value scanned to its end.
        mutating func keyValue() -> TOMLSyntaxError? {
            if let problem = keyPath(until: [UInt8(ascii: "=")]) { return problem }
            guard current == UInt8(ascii: "=") else {
                skipToLineEnd()  // not a key-value pair: the TOML parser reports it
                return nil
            }
            i += 1
            return value()
        }

        /// Key segments separated by dots, up to one of `stops` (not consumed) or the line's end.
        mutating func keyPath(until stops: Set<UInt8>) -> TOMLSyntaxError? {
            while let c = current, c != UInt8(ascii: "\n") {
                if stops.contains(c) { return nil }
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: ".") {
                    i += 1
                } else if Self.isQuote(c) {
                    skipString()
                } else if c >= 0x80 {
                    return problem(at: i, Self.nameMessage(what: "a key", in: segmentText(from: i)))
                } else {
                    i += 1
                }
            }
            return nil
        }

        /// One value: strings, arrays and inline tables may span lines; ends at the line's end outside them.
        mutating func value() -> TOMLSyntaxError? {
            var nesting: [UInt8] = []  // "[" or "{"
            var expectKey = false  // just after "{" or a "," inside an inline table
            while let c = current {
                if c == UInt8(ascii: "\n") {
                    if nesting.isEmpty { return nil }
                    newline()
                    continue
                }
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                    i += 1
                    continue
                }
                if expectKey, c != UInt8(ascii: "}") {
                    expectKey = false
                    if let problem = keyPath(until: [UInt8(ascii: "="), UInt8(ascii: "}"), UInt8(ascii: ",")]) { return problem }
                    continue
                }
                switch c {
                case UInt8(ascii: "#"):
                    skipComment()
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    skipString()
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    nesting.append(c)
                    expectKey = c == UInt8(ascii: "{")
                    i += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    // toml++ asserts on a `}` where an array expects a value ([ }, [1, }): refuse any
                    // closer that does not match its opener.
                    if let open = nesting.last, (open == UInt8(ascii: "[")) != (c == UInt8(ascii: "]")) {
                        let opened = open == UInt8(ascii: "[") ? "an array opened with [" : "an inline table opened with {"
                        return problem(at: i, "\(Character(Unicode.Scalar(c))) does not close \(opened); close it with "
                                       + (open == UInt8(ascii: "[") ? "]" : "}"))
                    }
                    if !nesting.isEmpty { nesting.removeLast() }
                    i += 1
                    if nesting.isEmpty { skipToLineEnd(); return nil }
                case UInt8(ascii: ","):
                    expectKey = nesting.last == UInt8(ascii: "{")
                    i += 1
                default:
                    let previous = i > 0 ? bytes[i - 1] : UInt8(ascii: " ")
                    if Self.isValueTerminator(previous) || previous == UInt8(ascii: "=") || previous == UInt8(ascii: "[")
                        || previous == UInt8(ascii: "{") {
                        if let problem = dateWithShortTime() { return problem }  // at the start of a bare value only
                    }
                    i += 1
                }
            }
            return nil
        }

        /// toml++ asserts on a date followed by a space, one digit and the end of the value
        /// (`2026-11-02 9`, `2026-11-02 9\u{0C}`): it reads on for a time and finds the end where it
        /// expects more.
        func dateWithShortTime() -> TOMLSyntaxError? {
            var end = i
            while end < bytes.count, !Self.isValueTerminator(bytes[end]) { end += 1 }
            // After the digit toml++ ends the value at any of its many blanks (form feed, U+3000, …):
            // anything but a second digit is refused here, the shape being invalid TOML anyway.
            guard end - i == 10, end + 1 < bytes.count, bytes[end] == UInt8(ascii: " "), Self.isDigit(bytes[end + 1]),
                  end + 2 == bytes.count || !Self.isDigit(bytes[end + 2]) else { return nil }
            let token = bytes[i..<end]
            // Never valid TOML (a date-time needs HH:MM), so refusing every such shape is safe.
            guard Self.isDigit(token[i]), token[i + 4] == UInt8(ascii: "-"), token[i + 7] == UInt8(ascii: "-") else { return nil }
            let text = String(decoding: bytes[i...(end + 1)], as: UTF8.self)
            return problem(at: i, "\(text) is a date with half a time: write the time as HH:MM:SS, or the date alone")
        }

        // MARK: lexing

        mutating func skipBlank() {
            while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { i += 1 }
        }

        mutating func newline() {
            i += 1
            line += 1
            lineStart = i
        }

        mutating func skipComment() {
            while let c = current, c != UInt8(ascii: "\n") { i += 1 }
        }

        /// Skips to the end of the line (comments and strings included), leaving the newline.
        mutating func skipToLineEnd() {
            while let c = current, c != UInt8(ascii: "\n") {
                if Self.isQuote(c) { skipString() } else { i += 1 }
            }
        }

        /// Skips a basic, literal or multi-line string starting at `i`, counting its lines.
        mutating func skipString() {
            let quote = bytes[i]
            let triple = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
            i += triple ? 3 : 1
            while let c = current {
                if c == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\n") {
                    if !triple { return }  // an unterminated string: the TOML parser reports it
                    newline()
                    continue
                }
                if c == quote {
                    if !triple { i += 1; return }
                    if i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote {
                        i += 3
                        while current == quote { i += 1 }  // up to two quotes may end the content
                        return
                    }
                }
                i += 1
            }
        }

        // MARK: reporting

        func problem(at offset: Int, _ message: String) -> TOMLSyntaxError {
            let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
            return TOMLSyntaxError(line: line, column: column, message: message)
        }

        /// The header as written, up to its closing bracket or the line's end.
        func headerText(from start: Int) -> String {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                end += 1
                if bytes[end - 1] == UInt8(ascii: "]"), end < bytes.count, bytes[end] != UInt8(ascii: "]") { break }
            }
            return String(decoding: bytes[start..<end], as: UTF8.self).trimmingTrailingCarriageReturn
        }

        /// The bare key segment starting at `start`, as written.
        func segmentText(from start: Int) -> String {
            var end = start
            let stops: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "="), UInt8(ascii: "."),
                                     UInt8(ascii: "]"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ","),
                                     UInt8(ascii: "}")]
            while end < bytes.count, !stops.contains(bytes[end]) { end += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        static func isBareASCII(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
        }

        static func isQuote(_ c: UInt8) -> Bool { c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") }

        static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        /// What ends a bare value for toml++: blanks, line breaks, `]`, `}`, `,`, `#`.
        static func isValueTerminator(_ c: UInt8) -> Bool {
            c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n")
                || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: ",") || c == UInt8(ascii: "#")
        }

        static func nameMessage(what: String, in text: String) -> String {
            "\(what) without quotes may hold only ASCII letters, digits, - and _, so \(text) cannot be read; "
                + "put a name in another script in double quotes, such as [\"办公室\"] or \"名称\" = …"
        }
    }
}

private extension String {
    var trimmingTrailingCarriageReturn: String { hasSuffix("\r") ? String(dropLast()) : self }
}
