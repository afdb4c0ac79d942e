import Hummingbird
import Logging
import NIOCore

/// Who is calling, once the bearer token has been checked.
enum Identity: Sendable, Equatable {
    /// The holder of the admin token: everything but submitting summaries.
    case admin
    /// An HR reviewer from `[[reviewer]]`: the read API and review decisions.
    case reviewer(name: String)
    /// An agent: only `POST /api/v1/summaries`, only for units within its prefixes.
    case agent(AgentRecord)

    /// The role's name in logs and error messages.
    var role: String {
        switch self {
        case .admin: "admin"
        case .reviewer: "hr"
        case .agent: "agent"
        }
    }
}

/// The request context of the collector's routes: Hummingbird's core storage (logger with the
/// request id, parameters) plus the caller's identity set by `AuthMiddleware`.
struct CollectorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on protected routes.
    var identity: Identity?
    /// The peer's address; nil when there is no socket (the router tests).
    var remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address (what failed authentication is counted against); "local" without a socket.
    var clientAddress: String { remoteAddress?.ipAddress ?? "local" }
}
