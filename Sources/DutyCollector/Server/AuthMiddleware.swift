import Foundation
import Hummingbird
import Logging

/// Resolves `Authorization: Bearer <token>` to an `Identity` and lets through only the roles a
/// route group allows.
///
/// No or unknown or revoked token: 401. A known token whose role the group does not allow: 403.
/// Tokens are compared by their SHA-256, never stored or logged.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext

    /// Which roles may pass.
    enum Role: Sendable { case admin, reviewer, agent }

    let allowed: Set<Role>
    let authenticator: Authenticator
    /// Slows addresses that keep presenting bad tokens (429 with `Retry-After`).
    let throttle: AuthThrottle
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = context.clientAddress
        try await throttle.check(address, now: clock())
        let identity: Identity
        do {
            identity = try await authenticator.identity(for: request)
        } catch let e as APIError where e.status == .unauthorized && e.reason != "missing_token" {
            // A token was presented and is not good: count it against the address.
            await throttle.fail(address, now: clock(), logger: context.logger)
            throw e
        }
        let role: Role =
            switch identity {
            case .admin: .admin
            case .reviewer: .reviewer
            case .agent: .agent
            }
        guard allowed.contains(role) else {
            if case .agent(let agent) = identity { try? await authenticator.store.touchAgent(id: agent.id, at: Date()) }
            throw APIError.forbidden("forbidden_role", "a token of role \(identity.role) may not use this route")
        }
        var context = context
        context.identity = identity
        switch identity {
        case .admin: context.logger[metadataKey: "duty.role"] = "admin"
        case .reviewer(let name): context.logger[metadataKey: "duty.reviewer"] = .string(name)
        case .agent(let agent): context.logger[metadataKey: "duty.agent.id"] = .string(agent.id)
        }
        return try await next(request, context)
    }
}

/// Maps bearer tokens to identities: the admin token and reviewers from the config, agents from the store.
struct Authenticator: Sendable {
    let adminTokenHash: String?
    let reviewers: [String: String]
    let store: any CollectorStore

    /// - Parameters:
    ///   - config: supplies the admin token's hash and the reviewers.
    ///   - store: holds the agents' token hashes.
    init(config: CollectorConfig, store: any CollectorStore) {
        self.adminTokenHash = config.adminTokenHash
        self.reviewers = Dictionary(config.reviewers.map { ($0.tokenHash, $0.name) }, uniquingKeysWith: { a, _ in a })
        self.store = store
    }

    /// The caller's identity; throws 401 for a missing, unknown or revoked token.
    func identity(for request: Request) async throws -> Identity {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing_token", "an Authorization: Bearer token is required")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw APIError.unauthorized("missing_token", "the Authorization header must be Bearer <token>")
        }
        let token = header.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        let hash = TokenHash.of(token)
        if let adminTokenHash, hash == adminTokenHash { return .admin }
        if let name = reviewers[hash] { return .reviewer(name: name) }
        let agent: AgentRecord?
        do {
            agent = try await store.agent(tokenHash: hash)
        } catch {
            throw StoreFailure.apiError(error, doing: "checking the token")
        }
        guard let agent else { throw APIError.unauthorized("unknown_token", "the token is not known") }
        guard agent.revokedAt == nil else {
            throw APIError.unauthorized("revoked_token", "the token of agent \(agent.id) has been revoked")
        }
        return .agent(agent)
    }
}

/// Turns storage errors into API errors: unavailable → 503, anything else → 500.
enum StoreFailure {
    /// The answer for a store error hit while `doing` something.
    static func apiError(_ error: any Error, doing: String) -> APIError {
        if let e = error as? APIError { return e }
        if case StoreError.unavailable(let m)? = error as? StoreError {
            return .unavailable("the database is unavailable while \(doing): \(m)")
        }
        if case StoreError.conflict(let m)? = error as? StoreError {
            return APIError(.conflict, "conflict", m)
        }
        return .internalError("storage failed while \(doing); nothing was written")
    }
}
