import Foundation
import Shared

/// Reads a `DaySummary` from a request body and turns every decoding failure into a 400 that
/// names the field (`units[2].scheduled`); a body of another schema version is refused as such.
enum SummaryDecoding {
    /// One decoder for every request (it keeps no state between calls): making one per request
    /// cost a measurable share of the ingest's CPU.
    static let decoder = DaySummary.decoder

    /// Decodes `data` (parsed once on the happy path); a failure is explained by the schema version
    /// when that is what differs, else by the field.
    ///
    /// A body of the known shape is read from its bytes (`SummaryWireDecoding`); any other body,
    /// a wrong one included, goes through `JSONDecoder`, which reads it or names the problem.
    static func decode(_ data: Data, supported: ClosedRange<Int> = DaySummary.supportedSchemas) throws(APIError) -> DaySummary {
        if let summary = data.withUnsafeBytes({ SummaryWireDecoding.decode($0) }) {
            if let problem = schemaProblem(summary.schema, supported: supported) { throw problem }
            return summary
        }
        return try decodeWithFoundation(data, supported: supported)
    }

    /// `decode` through `JSONDecoder` only: the reference the fast path is tested against.
    static func decodeWithFoundation(_ data: Data, supported: ClosedRange<Int> = DaySummary.supportedSchemas) throws(APIError) -> DaySummary {
        let summary: DaySummary
        do {
            summary = try decoder.decode(DaySummary.self, from: data)
        } catch {
            // A body of another version fails on its own terms; name the version, not a field.
            if let problem = schemaProblem(data, supported: supported) { throw problem }
            throw translate(error)
        }
        if let problem = schemaProblem(summary.schema, supported: supported) { throw problem }
        return summary
    }

    /// The refusal for a body whose `schema` is missing or not the current version, if it is.
    private static func schemaProblem(_ data: Data, supported: ClosedRange<Int>) -> APIError? {
        struct SchemaProbe: Decodable { var schema: Int? }
        guard let probe = try? decoder.decode(SchemaProbe.self, from: data) else { return nil }
        return schemaProblem(probe.schema, supported: supported)
    }

    private static func schemaProblem(_ schema: Int?, supported: ClosedRange<Int>) -> APIError? {
        guard let schema else {
            return .badRequest("missing_field", "schema is missing (the wire format version)", field: "schema")
        }
        guard supported.contains(schema) else {
            return .badRequest(
                "unsupported_schema",
                "schema version \(schema) is not supported (this collector reads versions \(supported.lowerBound) to \(supported.upperBound))",
                field: "schema")
        }
        return nil
    }

    /// A `DecodingError` (or a JSON syntax error) as a 400.
    static func translate(_ error: any Error) -> APIError {
        guard let error = error as? DecodingError else {
            return .badRequest("malformed_json", "the body is not valid JSON")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .badRequest("missing_field", "\(field) is missing", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .badRequest("missing_field", "\(field) must not be null (expected \(typeName(type)))", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .badRequest("malformed_json", "the body must be a JSON object") }
            return .badRequest("invalid_field", "\(field) must be \(typeName(type))", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .badRequest("malformed_json", "the body is not valid JSON") }
            return .badRequest("invalid_field", "\(field): \(context.debugDescription)", field: field)
        @unknown default:
            return .badRequest("malformed_json", "the body could not be read")
        }
    }

    /// `[units, 2, scheduled]` → `units[2].scheduled`.
    static func path(_ keys: [any CodingKey]) -> String {
        var s = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                s += "[\(index)]"
            } else {
                s += s.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return s
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }
}
