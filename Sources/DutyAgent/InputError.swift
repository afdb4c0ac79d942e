/// A problem with an input file or the configuration, located as precisely as the reader knows:
/// file, line, field (or config key) and what was wrong.
struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it (relative to the config file where it came from there).
    var file: String
    var line: Int?
    /// The column, field or config key concerned.
    var field: String?
    var message: String

    init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`.
    var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let field { s += "\(field): " }
        return s + message
    }
}
