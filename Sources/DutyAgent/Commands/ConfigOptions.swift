import Foundation
import ArgumentParser
import Shared

/// The option every agent command takes: where the config file is.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The agent's TOML config file; input paths are relative to it.")
    var config: String = "agent.toml"
}

/// The digest formats of `check`.
enum DigestFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Aligned text for a terminal.
    case table
    /// One JSON object.
    case json
    /// One row per anomaly.
    case csv
    /// Headings and tables.
    case markdown
}

extension Language {
    /// Parses `--lang`: zh or en.
    static func argument(_ text: String) throws -> Language {
        guard let language = Language(rawValue: text) else {
            throw ValidationError("--lang \(text): write zh (Chinese) or en (English)")
        }
        return language
    }
}

extension CivilDate {
    /// Parses a `--from`/`--to` argument, or explains what is wrong.
    static func argument(_ text: String?, option: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let d = CivilDate(text) else {
            throw ValidationError("\(option) \(text): not a date; write yyyy-MM-dd, such as 2026-11-02")
        }
        return d
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
