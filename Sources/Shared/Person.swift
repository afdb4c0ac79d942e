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
    /// The first date of employment (`joined`, 入职日期): no instance before it.
    public var joined: CivilDate?
    /// The last date of employment (`left`, 离职日期): no instance after it.
    public var left: CivilDate?

    public init(id: String, name: String, unit: UnitPath, badge: String? = nil, post: String? = nil,
                joined: CivilDate? = nil, left: CivilDate? = nil) {
        self.id = id
        self.name = name
        self.unit = unit
        self.badge = badge ?? id
        self.post = post
        self.joined = joined
        self.left = left
    }

    /// Whether `date` lies within the person's employment.
    public func employed(on date: CivilDate) -> Bool {
        (joined.map { date >= $0 } ?? true) && (left.map { date <= $0 } ?? true)
    }
}

/// A move of a person to another unit (调动): from `date` on they belong to `unit`.
public struct Transfer: Hashable, Sendable, Codable {
    public var person: String
    public var date: CivilDate
    public var unit: UnitPath

    public init(person: String, date: CivilDate, unit: UnitPath) {
        self.person = person
        self.date = date
        self.unit = unit
    }
}

/// An organisational unit as a `/`-separated path from the root: `市场监管局/执法大队/一中队`.
public struct UnitPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The components, root first; never empty strings.
    public var components: [String]

    /// Splits `text` at `/`, dropping empty parts and surrounding white space.
    public init(_ text: String) {
        components = UnitPath.plainComponents(text) ?? UnitPath.trimmedComponents(text)
    }

    /// The general split: at each `/` character, every part trimmed of white space, empty parts dropped.
    static func trimmedComponents(_ text: String) -> [String] {
        text.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The components of a path each of whose parts begins and ends with a printable ASCII character
    /// or a CJK ideograph (U+4000-U+9FFF), as every Chinese unit name does: split at the bytes of
    /// `/` with nothing to trim, which is what `trimmedComponents` gives for such text, without
    /// Foundation's trimming (about 5% of the collector's CPU per stored summary). Nil for any other
    /// text (an empty part, white space or another character at either end of a part).
    static func plainComponents(_ text: String) -> [String]? {
        // A part's first byte is its first scalar's; a scalar ends a part if it is ASCII, or if
        // the byte three before the part's end leads a three-byte sequence of U+4000-U+9FFF.
        @inline(__always) func printable(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
        @inline(__always) func ideographLead(_ b: UInt8) -> Bool { (0xE4...0xE9).contains(b) }
        let split: [String]?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var parts: [String] = []
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                guard end > start, printable(bytes[start]) || ideographLead(bytes[start]),
                      printable(bytes[end - 1]) || (end - start >= 3 && ideographLead(bytes[end - 3]))
                else { return nil }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = end + 1
            }
            return parts
        }
        return split ?? nil
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
