import Foundation
import Shared

/// What a console user may see, as store filters: the server applies it to every page, form and
/// download, and anything outside it is answered 404 (as if it did not exist).
extension ConsoleUser {
    /// An anomaly filter limited to the user's scope: their subtrees, or their own person for staff.
    var anomalyFilter: AnomalyFilter {
        var filter = AnomalyFilter()
        if role == .staff {
            filter.personID = account.person ?? "\u{0}no person"
        } else if let units {
            filter.within = units
        }
        return filter
    }

    /// The scope as text, for cache keys: the whole organisation, the subtrees, or the person.
    var scopeKey: String {
        if role == .staff { return "person:" + (account.person ?? "") }
        guard let units else { return "all" }
        return "units:" + units.map(\.description).sorted().joined(separator: "\u{1F}")
    }

    /// Whether the stored anomaly lies in the user's scope.
    func sees(_ stored: StoredAnomaly) -> Bool { sees(person: stored.anomaly.person, unit: stored.anomaly.unit) }

    /// Whether an agent's grant overlaps the user's scope (the agent reports on some unit they see).
    func sees(agent: AgentRecord) -> Bool {
        guard let units else { return true }
        return agent.unitPrefixes.contains { prefix in units.contains { prefix.isWithin($0) || $0.isWithin(prefix) } }
    }

    /// The figures of every unit in the user's scope for `from...to`, each unit once, by path.
    func unitFigures(store: any CollectorStore, from: CivilDate, to: CivilDate) async throws -> [UnitFigures] {
        guard let units else { return try await store.unitFigures(from: from, to: to, under: nil) }
        var byUnit: [UnitPath: UnitFigures] = [:]
        for unit in units {
            for figures in try await store.unitFigures(from: from, to: to, under: unit) { byUnit[figures.unit] = figures }
        }
        return byUnit.values.sorted { $0.unit < $1.unit }
    }
}
