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
