import Foundation
import Hummingbird
import Shared

/// Typed access to a request's query string; a bad value is a 400 naming the parameter.
struct QueryParameters {
    private let parameters: Parameters

    /// The query of `request`.
    init(_ request: Request) { parameters = request.uri.queryParameters }

    /// The raw text of `name`, nil when absent or empty.
    func string(_ name: String) -> String? {
        guard let v = parameters.get(name), !v.isEmpty else { return nil }
        return v
    }

    /// A `yyyy-MM-dd` date.
    func date(_ name: String) throws -> CivilDate? {
        guard let text = string(name) else { return nil }
        guard let d = CivilDate(text) else {
            throw APIError.badRequest("invalid_parameter", "\(name) must be a date yyyy-MM-dd, got \"\(text)\"", field: name)
        }
        return d
    }

    /// A unit path (`市场监管局/执法大队`), in NFC as units are stored.
    func unit(_ name: String) -> UnitPath? {
        guard let text = string(name) else { return nil }
        let unit = UnitPath(text).nfc
        return unit.components.isEmpty ? nil : unit
    }

    /// A positive whole number.
    func positiveInt(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let n = Int(text), n > 0 else {
            throw APIError.badRequest("invalid_parameter", "\(name) must be a positive whole number, got \"\(text)\"", field: name)
        }
        return n
    }

    /// One of the raw values of `T`.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let v = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("invalid_parameter", "\(name) must be one of \(allowed), got \"\(text)\"", field: name)
        }
        return v
    }

    /// `from` and `to`, each defaulting as given; 400 when `from` is after `to`.
    func period(defaultFrom: CivilDate, defaultTo: CivilDate) throws -> (from: CivilDate, to: CivilDate) {
        let from = try date("from") ?? defaultFrom
        let to = try date("to") ?? defaultTo
        guard from <= to else {
            throw APIError.badRequest("invalid_parameter", "from (\(from)) is after to (\(to))", field: "from")
        }
        guard to.dayNumber - from.dayNumber <= 3660 else {
            throw APIError.badRequest("invalid_parameter", "the period from \(from) to \(to) is longer than ten years", field: "to")
        }
        return (from, to)
    }
}

/// Today's business date in `zone`.
func businessDate(of instant: Date, in zone: TimeZone) -> CivilDate {
    let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
    return CivilDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
}
