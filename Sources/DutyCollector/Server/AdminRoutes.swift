import Foundation
import Hummingbird
import Shared

/// Agent administration over the API (admin token): `POST /api/v1/agents`, `DELETE /api/v1/agents/{id}`.
struct AdminRoutes: Sendable {
    let store: any CollectorStore
    let clock: @Sendable () -> Date

    /// The body of `POST /api/v1/agents`.
    struct NewAgent: Decodable {
        var id: String?
        var units: [String]?
    }

    /// The answer: the token appears here once and is never shown again.
    struct Issued: Encodable {
        var id: String
        var units: [UnitPath]
        var token: String
    }

    /// Adds the routes to `group` (behind the admin-only `AuthMiddleware`).
    func register(on group: RouterGroup<CollectorRequestContext>) {
        group.post("agents") { request, context in try await self.add(request, context: context) }
        group.delete("agents/:id") { _, context in
            let id = try context.parameters.require("id")
            let revoked = try await self.writing("revoking the agent") { try await store.revokeAgent(id: id, at: clock()) }
            guard revoked else { throw APIError.notFound("no agent has the id \(id)") }
            context.logger.notice("agent revoked", metadata: ["duty.agent.id": .string(id)])
            return JSONBody.response(.ok, ["status": "revoked", "id": id])
        }
    }

    private func add(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let body: NewAgent
        do {
            body = try JSONDecoder().decode(NewAgent.self, from: Data(buffer.readableBytesView))
        } catch {
            throw SummaryDecoding.translate(error)
        }
        let (id, units) = try AgentRegistration.validate(id: body.id, units: body.units ?? [])
        let token = TokenHash.generate()
        let record = AgentRecord(id: id, unitPrefixes: units, tokenHash: TokenHash.of(token), createdAt: clock())
        try await writing("adding the agent") { try await store.addAgent(record) }
        context.logger.notice("agent added", metadata: ["duty.agent.id": .string(id)])
        return JSONBody.response(.created, Issued(id: id, units: units, token: token))
    }

    private func writing<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw StoreFailure.apiError(error, doing: what)
        }
    }
}

/// The rules for an agent's id and unit prefixes, shared by the API and `agents add`.
enum AgentRegistration {
    /// The id and parsed prefixes, in NFC (as summaries' units are stored); a 400 naming the field
    /// for an empty id, no units, or a unit with a control character or beyond the bounds of
    /// `UnitPath.maxComponents` and `UnitPath.maxBytes`.
    static func validate(id: String?, units: [String]) throws(APIError) -> (String, [UnitPath]) {
        guard let id = id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
            throw .badRequest("missing_field", "id is missing", field: "id")
        }
        guard id.count <= 128, !id.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw .badRequest("invalid_field", "id must be at most 128 characters without spaces or slashes", field: "id")
        }
        let paths = units.map { UnitPath($0).nfc }
        guard !paths.isEmpty else { throw .badRequest("missing_field", "units is missing: at least one unit prefix", field: "units") }
        if let i = paths.firstIndex(where: { $0.components.isEmpty }) {
            throw .badRequest("invalid_field", "units[\(i)] is empty", field: "units[\(i)]")
        }
        for (i, path) in paths.enumerated() {
            if let problem = path.limitProblem { throw .badRequest("invalid_field", "units[\(i)] \(problem)", field: "units[\(i)]") }
        }
        return (id, paths)
    }
}
