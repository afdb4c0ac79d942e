import Foundation
import Hummingbird
import HummingbirdAuth
import Shared

/// The request context of the console's pages: the collector's context plus the session
/// (hummingbird-auth's `SessionMiddleware`), the signed-in user and the page language.
struct ConsoleRequestContext: ChildRequestContext, AuthRequestContext, SessionRequestContext {
    typealias ParentContext = CollectorRequestContext
    typealias Session = ConsoleSession

    var coreContext: CoreRequestContextStorage
    /// Set by `ConsoleAuthMiddleware` when the session is valid.
    var identity: ConsoleUser?
    let sessions: SessionContext<ConsoleSession>
    /// The client's IP address ("local" when the transport has none), for the sign-in delays and the audit.
    var address: String
    /// The language of the pages: the `dw_lang` cookie, Chinese by default.
    var language: Language = .zh

    init(context: CollectorRequestContext) throws {
        self.coreContext = context.coreContext
        self.identity = nil
        self.sessions = SessionContext()
        self.address = context.clientAddress
    }
}
