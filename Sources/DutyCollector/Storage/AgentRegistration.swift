import Shared

/// An agent's registration, checked once for the API (`POST /api/v1/agents`) and `agents add`:
/// an id of at most 128 characters without spaces or slashes, and at least one non-empty unit
/// prefix. Each edge maps a `Problem` to its own answer (a 400 naming the field, a usage error
/// naming the option).
struct AgentRegistration: Equatable, Sendable {
    var id: String
    var units: [UnitPath]

    /// What is wrong with a registration.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case missingID
        case invalidID
        case noUnits
        case emptyUnit(index: Int)
        /// A unit with a control character, or beyond `UnitPath.maxComponents` / `UnitPath.maxBytes`.
        case invalidUnit(index: Int, problem: String)

        /// The request field at fault: `id`, `units`, `units[2]`.
        var field: String {
            switch self {
            case .missingID, .invalidID: "id"
            case .noUnits: "units"
            case .emptyUnit(let i), .invalidUnit(let i, _): "units[\(i)]"
            }
        }

        /// The stable reason: `missing_field` or `invalid_field`.
        var reason: String {
            switch self {
            case .missingID, .noUnits: "missing_field"
            case .invalidID, .emptyUnit, .invalidUnit: "invalid_field"
            }
        }

        var description: String {
            switch self {
            case .missingID: "id is missing"
            case .invalidID: "id must be at most 128 characters without spaces or slashes"
            case .noUnits: "units is missing: at least one unit prefix"
            case .emptyUnit(let i): "units[\(i)] is empty"
            case .invalidUnit(let i, let problem): "units[\(i)] \(problem)"
            }
        }
    }

    /// Checks `id` (trimmed) and `units` (parsed as unit paths, in NFC as summaries' units are stored).
    init(id: String?, units: [String]) throws(Problem) {
        guard let id = id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { throw .missingID }
        guard id.count <= 128, !id.contains(where: { $0.isWhitespace || $0 == "/" }) else { throw .invalidID }
        let paths = units.map { UnitPath($0).nfc }
        guard !paths.isEmpty else { throw .noUnits }
        if let i = paths.firstIndex(where: { $0.components.isEmpty }) { throw .emptyUnit(index: i) }
        for (i, path) in paths.enumerated() {
            if let problem = path.limitProblem { throw .invalidUnit(index: i, problem: problem) }
        }
        self.id = id
        self.units = paths
    }
}
