import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form: every value of every field, in order.
struct ConsoleForm: Sendable {
    private(set) var fields: [String: [String]] = [:]

    /// The largest form body read.
    static let maxBytes = 256 * 1024

    /// Reads and parses the body of `request` (kept for later readers of the same request).
    static func read(_ request: inout Request) async throws -> ConsoleForm {
        let buffer = try await request.collectBody(upTo: maxBytes)
        return ConsoleForm(encoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// Parses `name=value&…` with `+` as space and percent escapes.
    init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            fields[name, default: []].append(value)
        }
    }

    /// The first value of `name`, nil when absent.
    subscript(_ name: String) -> String? { fields[name]?.first }

    /// The first value of `name` trimmed, nil when absent or blank.
    func trimmed(_ name: String) -> String? {
        self[name]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// Links and redirects of the console.
enum ConsoleLinks {
    /// `target` when it is a path on this site (so a `next` parameter cannot send anyone elsewhere),
    /// else nil.
    static func localTarget(_ target: String?) -> String? {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//"), !target.hasPrefix("/\\"),
              !target.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return nil }
        return target
    }

    /// `text` escaped for a query value.
    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Whether two tokens are equal, compared in time independent of where they differ.
    static func tokensMatch(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b, !a.isEmpty else { return false }
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
