import TOMLKit

/// A TOML config file read once: its root table and the line of every key. The one way both
/// programs read TOML (the agent's config, the collector's config and its `[bulletin]` settings):
/// a guard that every TOML text must pass belongs in `parse(text:file:)`.
public struct TOMLDocument {
    /// The file as the user named it.
    public let file: String
    public let root: TOMLTable
    public let locator: TOMLKeyLocator

    /// Parses `text`, read from `file`; a syntax error is a `LocatedError` with the parser's line
    /// and column.
    public static func parse(text: String, file: String) throws(LocatedError) -> TOMLDocument {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let b = error.source.begin
            throw LocatedError(file: file, line: b.line, message: "not valid TOML: \(error.description) (column \(b.column))")
        } catch {
            throw LocatedError(file: file, message: "not valid TOML: \(error)")
        }
        return TOMLDocument(file: file, root: root, locator: TOMLKeyLocator(text: text))
    }

    /// A problem with `key` (a full key such as `server.port`), at its line.
    public func problem(_ key: String, _ message: String) -> LocatedError {
        LocatedError(file: file, line: locator.line(of: key), field: key, message: message)
    }
}
