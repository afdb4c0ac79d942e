import Foundation
import Hummingbird
import Shared

/// The read API for the HR page and scripts (admin or reviewer token): units with their figures,
/// anomalies with their review state, agents' health.
struct ReadRoutes: Sendable {
    let store: any CollectorStore
    let zone: TimeZone
    let clock: @Sendable () -> Date

    /// Adds the routes to `group` (behind an admin/reviewer `AuthMiddleware`).
    func register(on group: RouterGroup<CollectorRequestContext>) {
        group.get("units") { request, _ in try await self.units(request) }
        group.get("anomalies") { request, _ in try await self.anomalies(request) }
        group.get("agents") { request, _ in try await self.agents(request) }
    }

    /// `GET /api/v1/units?from&to&unit`: figures per unit of the tree, descendants included.
    /// `from` and `to` default to today.
    func units(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        let today = businessDate(of: clock(), in: zone)
        let (from, to) = try query.period(defaultFrom: try query.date("to") ?? today, defaultTo: today)
        let under = query.unit("unit")
        let figures = try await reading("unit figures") { try await store.unitFigures(from: from, to: to, under: under) }
        return JSONBody.response(
            .ok, APIModels.UnitsResponse(from: from, to: to, unit: under, units: figures.map(APIModels.UnitFiguresJSON.init)))
    }

    /// `GET /api/v1/anomalies?unit&person&kind&from&to&state&limit`: newest revision only, with reviews.
    func anomalies(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        var filter = AnomalyFilter()
        filter.under = query.unit("unit")
        filter.person = query.string("person")
        filter.kind = try query.choice("kind", AnomalyKind.self)
        filter.from = try query.date("from")
        filter.to = try query.date("to")
        filter.state = try query.choice("state", ReviewState.self)
        let limit = try query.positiveInt("limit") ?? Self.defaultLimit
        guard limit <= Self.maxLimit else {
            throw APIError.badRequest("invalid_parameter", "limit must be at most \(Self.maxLimit), got \(limit)", field: "limit")
        }
        let offset = try query.string("offset").map { text in
            guard let n = Int(text), n >= 0 else {
                throw APIError.badRequest("invalid_parameter", "offset must be a whole number 0 or more, got \"\(text)\"",
                                          field: "offset")
            }
            return n
        } ?? 0
        // One more than asked tells whether there is a next page.
        filter.limit = limit + 1
        filter.offset = offset
        if let from = filter.from, let to = filter.to, from > to {
            throw APIError.badRequest("invalid_parameter", "from (\(from)) is after to (\(to))", field: "from")
        }
        let asked = filter
        var found = try await reading("anomalies") { try await store.anomalies(asked) }
        let more = found.count > limit
        if more { found.removeLast(found.count - limit) }
        return JSONBody.response(.ok, APIModels.AnomaliesResponse(count: found.count, anomalies: found.map(APIModels.AnomalyJSON.init),
                                                                  nextOffset: more ? offset + limit : nil))
    }

    /// The anomalies in one answer when `limit` is not given, and the most `limit` may ask for: a
    /// month of a large bureau is a few thousand; 100,000 in one answer were 34.6 MB.
    static let (defaultLimit, maxLimit) = (1_000, 10_000)

    /// `GET /api/v1/agents?from&to`: each agent's grant, last contact, last summary and the dates
    /// received and missing in the period (default: the last 30 days up to today).
    func agents(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        let today = businessDate(of: clock(), in: zone)
        let (from, to) = try query.period(defaultFrom: today.adding(days: -29), defaultTo: today)
        let health = try await reading("agents") { try await store.agentHealth(from: from, to: to) }
        return JSONBody.response(
            .ok, APIModels.AgentsResponse(from: from, to: to, agents: health.map { APIModels.AgentJSON($0, from: from, to: to) }))
    }
}

/// Runs a store read, turning its failure into a 503/500.
func reading<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw StoreFailure.apiError(error, doing: "reading \(what)")
    }
}
