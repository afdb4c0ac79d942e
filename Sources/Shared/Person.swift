/// Someone on the people list.
public struct Person: Hashable, Sendable, Codable {
    /// The person id (`id` column).
    public var id: String
    public var name: String
    /// The unit path, `局/科室/…`.
    public var unit: UnitPath
    /// The badge number punched at readers; defaults to `id`.
    public var badge: String
    /// An optional post (duty post, desk) from the people list.
    public var post: String?

    public init(id: String, name: String, unit: UnitPath, badge: String? = nil, post: String? = nil) {
        self.id = id
        self.name = name
        self.unit = unit
        self.badge = badge ?? id
        self.post = post
    }
}

/// An organisational unit as a `/`-separated path from the root: `市场监管局/执法大队/一中队`.
public struct UnitPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The components, root first; never empty strings.
    public var components: [String]

    /// Splits `text` at `/`, dropping empty parts and surrounding white space.
    public init(_ text: String) {
        components = text.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public init(components: [String]) { self.components = components }

    public var description: String { components.joined(separator: "/") }

    /// This unit and every ancestor, root first.
    public var lineage: [UnitPath] {
        (1...max(components.count, 1)).map { UnitPath(components: Array(components.prefix($0))) }
    }

    /// Whether `self` is `prefix` or lies below it (component-wise, not character-wise).
    public func isWithin(_ prefix: UnitPath) -> Bool {
        components.count >= prefix.components.count && Array(components.prefix(prefix.components.count)) == prefix.components
    }

    public static func < (a: UnitPath, b: UnitPath) -> Bool { a.components.lexicographicallyPrecedes(b.components) }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
