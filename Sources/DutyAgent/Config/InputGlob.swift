import ConfigSupport
import Foundation

/// The agent's inputs by config path or glob (`badges/*.dat`), as `InputFile`s: `PathGlob` of
/// ConfigSupport, shared with the collector.
enum InputGlob {
    /// The regular files matching `pattern`, sorted by path; `*` does not match a leading dot.
    static func files(matching pattern: String, in directory: URL) -> [InputFile] {
        PathGlob.files(matching: pattern, in: directory).map { InputFile(url: $0.url, display: $0.display) }
    }

    /// Whether `text` holds glob characters.
    static func isPattern(_ text: String) -> Bool { PathGlob.isPattern(text) }
}
