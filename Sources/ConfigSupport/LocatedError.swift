/// A problem in a file, located as precisely as its reader knows: file, line, field (a config key
/// such as `shift[2].start`, a column, or an environment variable) and what is wrong. The one
/// located-error type of both programs' config readers and the agent's input files; it reads as
/// `file:line: field: message`.
public struct LocatedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it (or `environment` for a variable).
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The key, column or variable concerned.
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let field { s += "\(field): " }
        return s + message
    }
}

/// Every problem a reader found in one pass (a config file and its environment), in the order of
/// their lines; thrown so that a user fixes them all at once rather than one run at a time. It
/// reads as `N problems:` and one `file:line: field: message` per line.
public struct LocatedErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// At least one problem, sorted by file order (problems without a line last, in the order found).
    public var problems: [LocatedError]

    /// `problems` sorted by line; the order found breaks ties.
    public init(_ problems: [LocatedError]) {
        self.problems = Self.sorted(problems)
    }

    /// The problem itself when there is one; else `N problems:` and then one problem per line.
    public var description: String {
        let lines = problems.map(\.description).joined(separator: "\n")
        return problems.count == 1 ? lines : "\(problems.count) problems:\n" + lines
    }

    /// `problems` in line order, stable for equal lines; problems without a line keep their order at the end.
    public static func sorted(_ problems: [LocatedError]) -> [LocatedError] {
        problems.enumerated().sorted {
            ($0.element.file == "environment" ? 1 : 0, $0.element.line ?? .max, $0.offset)
                < ($1.element.file == "environment" ? 1 : 0, $1.element.line ?? .max, $1.offset)
        }.map(\.element)
    }
}
