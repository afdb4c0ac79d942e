import Foundation

/// The JSON encoding of the report models: sorted, pretty-printed, ISO 8601 dates (the same
/// conventions as the wire format); the models name their keys in snake_case themselves, so the
/// API's encoder gives the same keys.
enum ReportJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }

    /// The decoder matching `encode`.
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
