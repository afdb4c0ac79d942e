import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands config paths and glob patterns (`badges/*.dat`, `holidays/20??.json`) against the
/// config file's folder, component by component with `fnmatch`: the agent's inputs and the
/// collector's `[review] holidays`. Each file comes with its path as the user wrote it (relative to
/// the config file's folder), for messages.
public enum PathGlob {
    /// The regular files matching `pattern`, sorted by path; `*` does not match a leading dot.
    public static func files(matching pattern: String, in directory: URL) -> [(url: URL, display: String)] {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        let root = absolute ? URL(fileURLWithPath: "/") : directory
        var found: [(url: URL, display: String)] = [(root, absolute ? "/" : "")]
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            var next: [(url: URL, display: String)] = []
            for (url, display) in found {
                let names: [String]
                if isPattern(part) {
                    let listed = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
                    names = listed.filter { fnmatch(part, $0, FNM_PERIOD) == 0 }.sorted()
                } else {
                    names = [part]
                }
                for name in names {
                    let child = url.appendingPathComponent(name)
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isDir) else { continue }
                    if last ? !isDir.boolValue : isDir.boolValue {
                        next.append((child, join(display, name)))
                    }
                }
            }
            found = next
        }
        return found
    }

    /// Whether `text` holds glob characters.
    public static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func join(_ a: String, _ b: String) -> String {
        a.isEmpty ? b : a.hasSuffix("/") ? a + b : a + "/" + b
    }
}
