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
        let registration: AgentRegistration
        do {
            registration = try AgentRegistration(id: body.id, units: body.units ?? [])
        } catch {
            throw APIError.badRequest(error.reason, error.description, field: error.field)
        }
        let (id, units) = (registration.id, registration.units)
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
