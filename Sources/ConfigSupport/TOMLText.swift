import Foundation
import TOMLKit

/// Parses TOML text for both programs' config readers, with a guard in front of TOMLKit.
///
/// TOMLKit 0.6 bundles toml++ 3.4, whose table-header parser asserts (SIGABRT, the whole program
/// gone) when the first character of a table name is not an ASCII bare-key character or a quote:
/// `[办公室]`, `[é]`, `[Ａ]`, a combining accent, `[!]`, `[.a]`, an unclosed `[` at the end of a line
/// (see docs/upstream/tomlkit-non-ascii-key.md).
/// `TOMLKeyGuard` finds those first and reports the line; non-ASCII bare keys elsewhere
/// (`名称 = 1`, `a.é = 1`, `{ 名 = 1 }`) get the same clear message, although toml++ only refuses
/// them. Quoted names (`["办公室"]`, `"名称" = 1`) pass on to TOMLKit.
public enum TOMLText {
    /// The root table of `text`; throws the first syntax problem with its line and column.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        if let problem = TOMLKeyGuard.firstProblem(in: text) { throw problem }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: "not a TOML document: \(error)")
        }
    }
}

/// A TOML syntax problem: where it is and what it is.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line and column.
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `message (column N)`, for errors that name the file and line themselves.
    public var description: String { "\(message) (column \(column))" }
}
