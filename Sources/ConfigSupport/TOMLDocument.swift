import TOMLKit

/// A TOML config file read once: its root table and the line of every key. The one way both
/// programs read TOML (the agent's config, the collector's config and its `[bulletin]` settings):
/// a guard that every TOML text must pass belongs in `parse(text:file:)`.
public struct TOMLDocument {
    /// The file as the user named it.
    public let file: String
    public let root: TOMLTable
    public let locator: TOMLKeyLocator

    /// Parses `text`, read from `file`, behind `TOMLText`'s guard (toml++ aborts the program on some
    /// names); a syntax error is a `LocatedError` with the line and column.
    public static func parse(text: String, file: String) throws(LocatedError) -> TOMLDocument {
        let root: TOMLTable
        do {
            root = try TOMLText.parse(text)
        } catch {
            throw LocatedError(file: file, line: error.line, message: "not valid TOML: \(error.description)")
        }
        return TOMLDocument(file: file, root: root, locator: TOMLKeyLocator(text: text))
    }

    /// A problem with `key` (a full key such as `server.port`), at its line.
    public func problem(_ key: String, _ message: String) -> LocatedError {
        LocatedError(file: file, line: locator.line(of: key), field: key, message: message)
    }
}
