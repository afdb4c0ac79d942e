import Foundation

/// The bounds a unit path must keep to be stored, and its one spelling.
///
/// A unit path comes from an agent's people file (a summary) or an administrator's `--units`; the
/// collector stores each unit and its place in the tree, so an unbounded path is unbounded work
/// and storage. Real organisations are a few levels deep (局/处/科/组); 12 components and 256 bytes
/// of UTF-8 (about 85 Chinese characters) leave room for any of them.
extension UnitPath {
    /// The most components a unit path may have.
    public static let maxComponents = 12
    /// The most bytes (UTF-8, components joined by `/`) a unit path may have.
    public static let maxBytes = 256

    /// Why this path may not be stored, as the end of a sentence ("has 400 components, …"), or
    /// nil when it is within the bounds and has no control character.
    public var limitProblem: String? {
        guard !components.isEmpty else { return "must name a unit" }
        guard components.count <= Self.maxComponents else {
            return "has \(components.count) components, more than the \(Self.maxComponents) allowed"
        }
        let text = description
        let bytes = text.utf8.count
        guard bytes <= Self.maxBytes else { return "is \(bytes) bytes long, more than the \(Self.maxBytes) allowed" }
        // A control character (U+0000-U+001F, U+007F-U+009F) in UTF-8 is a byte below 0x20, 0x7F,
        // or 0xC2 then 0x80-0x9F: a path without such bytes (nearly every one) needs no decoding.
        var previous: UInt8 = 0
        let mayHoldControl = text.utf8.contains { byte in
            defer { previous = byte }
            return byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte))
        }
        guard mayHoldControl else { return nil }
        for component in components {
            if let c = component.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                return "contains the control character U+\(String(format: "%04X", c.value))"
            }
        }
        return nil
    }

    /// The path with every component in Unicode Normalization Form C, so that one name typed two
    /// ways (a precomposed é or e plus a combining accent) is one unit.
    public var nfc: UnitPath {
        // Text made only of scalars below U+0300 and CJK ideographs (U+4000-U+9FFF) is in NFC
        // already: none of them decomposes, combines or is composed with another. That is every
        // Chinese unit name, checked in one pass over the bytes instead of Foundation's
        // normalisation (which cost ~3% of the collector's CPU per summary).
        guard !components.allSatisfy({ $0.utf8.allSatisfy(Self.isInStableText) }) else { return self }
        let composed = components.map(\.precomposedStringWithCanonicalMapping)
        guard !zip(composed, components).allSatisfy({ $0.utf8.elementsEqual($1.utf8) }) else { return self }
        return UnitPath(components: composed)
    }

    /// Whether a UTF-8 byte can only be part of a scalar below U+0300 (ASCII, a continuation byte,
    /// or the lead byte of a two-byte sequence up to U+02FF) or of one in U+4000-U+9FFF (lead
    /// bytes 0xE4-0xE9); any other byte sends the text through full normalisation.
    @inline(__always)
    static func isInStableText(_ byte: UInt8) -> Bool { byte < 0xCC || (0xE4...0xE9).contains(byte) }
}
