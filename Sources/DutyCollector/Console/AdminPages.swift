import Foundation
import Hummingbird
import Shared

/// The admin's pages: `/agents` (health over the last 30 days, dates missing, add an agent with
/// its token shown once, revoke) and `/users` (list, add with a generated password shown once,
/// disable, reset). Every other role gets 404. Account changes are console audit events naming
/// the admin.
struct AdminPages: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let passwords: Passwords
    let zone: TimeZone
    let clock: @Sendable () -> Date

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("agents") { request, context in try await agentsPage(request, context, shown: nil) }
        group.post("agents") { request, context in try await addAgent(request, context) }
        group.post("agents/:id/revoke") { request, context in try await revokeAgent(request, context) }
        group.get("users") { request, context in try await usersPage(request, context, shown: nil) }
        group.post("users") { request, context in try await addUser(request, context) }
        group.post("users/disable") { request, context in try await disableUser(request, context) }
        group.post("users/reset") { request, context in try await resetUser(request, context) }
    }

    private func admin(_ context: ConsoleRequestContext) throws -> ConsoleUser {
        guard let user = context.identity, user.role == .admin else { throw HTTPError(.notFound) }
        return user
    }

    // MARK: Agents

    private func agentsPage(_ request: Request, _ context: ConsoleRequestContext, shown: [String: Any]?) async throws -> Response {
        _ = try admin(context)
        let language = context.language
        let today = businessDate(of: clock(), in: zone)
        let from = today.adding(days: -30), to = today.adding(days: -1)
        let health = try await store.agentHealth(from: from, to: to)
        let days = (0..<30).map { from.adding(days: $0) }
        var model = PageModel.base(request, context, titleKey: "agents", section: "agents")
        model["agents"] = health.map { h in
            let received = Set(h.datesReceived)
            let missing = days.filter { !received.contains($0) }
            return [
                "id": h.agent.id, "units": h.agent.unitPrefixes.map(\.description).joined(separator: "、"),
                "revoked": h.agent.revokedAt != nil,
                "status": ConsoleText.text(h.agent.revokedAt == nil ? "active" : "revoked", language),
                "created": ConsoleFormat.time(h.agent.createdAt, zone: zone),
                "lastContact": h.agent.lastContact.map { ConsoleFormat.time($0, zone: zone) } ?? ConsoleText.text("never", language),
                "lastSummary": h.lastSummaryDate?.description ?? "—",
                "missingCount": missing.count,
                "missing": missing.suffix(10).map(ConsoleFormat.shortDate).joined(separator: " ") + (missing.count > 10 ? " …" : ""),
            ] as [String: Any]
        }
        model["period"] = "\(from) – \(to)"
        if let shown { model["shown"] = shown }
        return pages.page("agents", model)
    }

    private func addAgent(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try admin(context)
        var request = request
        let form = try await ConsoleForm.read(&request)
        let units = (form["units"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let id: String, prefixes: [UnitPath]
        do {
            let registration = try AgentRegistration(id: form["id"], units: units)
            (id, prefixes) = (registration.id, registration.units)
        } catch {
            throw ConsoleError.invalid(error.description, back: "/agents")
        }
        let token = TokenHash.generate()
        do {
            try await store.addAgent(AgentRecord(id: id, unitPrefixes: prefixes, tokenHash: TokenHash.of(token), createdAt: clock()))
        } catch StoreError.conflict(let message) {
            throw ConsoleError.invalid(message, back: "/agents")
        }
        context.logger.info("agent added in the console", metadata: ["duty.agent.id": .string(id), "duty.by": .string(user.name)])
        return try await agentsPage(request, context, shown: ["what": ConsoleText.text("agentToken", context.language) + " " + id,
                                                              "secret": token])
    }

    private func revokeAgent(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let user = try admin(context)
        guard let id = context.parameters.get("id"), try await store.revokeAgent(id: id, at: clock()) else {
            throw HTTPError(.notFound)
        }
        context.logger.info("agent revoked in the console", metadata: ["duty.agent.id": .string(id), "duty.by": .string(user.name)])
        return .redirect(to: "/agents", type: .normal)
    }

    // MARK: Users

    private func usersPage(_ request: Request, _ context: ConsoleRequestContext, shown: [String: Any]?) async throws -> Response {
        _ = try admin(context)
        let language = context.language
        var model = PageModel.base(request, context, titleKey: "users", section: "users")
        model["users"] = try await store.users().map { u in
            [
                "name": u.name, "role": ConsoleText.role(u.role, language),
                "scope": AccountRoutes.describe(ConsoleUser(account: u, csrf: ""), language)["scope"] ?? "",
                "disabled": u.isDisabled, "status": ConsoleText.text(u.isDisabled ? "disabled" : "active", language),
                "created": ConsoleFormat.time(u.createdAt, zone: zone),
            ] as [String: Any]
        }
        model["roles"] = UserRole.allCases.map { ["value": $0.rawValue, "label": ConsoleText.role($0, language)] }
        model["events"] = try await store.events(kinds: nil, limit: 30).map { e in
            ["at": ConsoleFormat.time(e.at, zone: zone), "kind": ConsoleText.text("event.\(e.kind.rawValue)", language), "subject": e.subject, "actor": e.actor ?? "",
             "address": e.address ?? "", "detail": e.detail]
        }
        if let shown { model["shown"] = shown }
        return pages.page("users", model)
    }

    private func addUser(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let admin = try admin(context)
        var request = request
        let form = try await ConsoleForm.read(&request)
        guard let role = form["role"].flatMap(UserRole.init(rawValue:)) else {
            throw ConsoleError.invalid("role: admin, hr, manager, staff", back: "/users")
        }
        let units = (form["units"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
        let account: (name: String, units: [UnitPath], person: String?)
        do {
            account = try UserRegistration.validate(name: form["name"] ?? "", role: role, units: units, person: form["person"])
        } catch {
            throw ConsoleError.invalid(error.description, back: "/users")
        }
        let password = Passwords.generate()
        let now = clock()
        let user = NewUser(name: account.name, role: role, units: account.units, person: account.person,
                           passwordHash: try await passwords.hash(password), createdAt: now)
        do {
            _ = try await store.addUser(user)
        } catch StoreError.conflict(let message) {
            throw ConsoleError.invalid(message, back: "/users")
        }
        try await store.record(ConsoleEvent(kind: .userAdded, subject: account.name, actor: admin.name, address: context.address,
                                            detail: UsersCommand.describe(user), at: now))
        return try await usersPage(request, context, shown: ["what": ConsoleText.text("initialPassword", context.language)
                                                                + " " + account.name, "secret": password])
    }

    private func disableUser(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let admin = try admin(context)
        var request = request
        guard let name = try await ConsoleForm.read(&request)["name"], name != admin.name,
              try await store.disableUser(name: name, at: clock())
        else { throw HTTPError(.notFound) }
        try await store.record(ConsoleEvent(kind: .userDisabled, subject: name, actor: admin.name, address: context.address,
                                            detail: "", at: clock()))
        return .redirect(to: "/users", type: .normal)
    }

    private func resetUser(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let admin = try admin(context)
        var request = request
        guard let name = try await ConsoleForm.read(&request)["name"], let user = try await store.user(name: name) else {
            throw HTTPError(.notFound)
        }
        let password = Passwords.generate()
        let now = clock()
        _ = try await store.setPassword(userID: user.id, hash: try await passwords.hash(password), at: now)
        try await store.record(ConsoleEvent(kind: .passwordReset, subject: name, actor: admin.name, address: context.address,
                                            detail: "", at: now))
        return try await usersPage(request, context, shown: ["what": ConsoleText.text("initialPassword", context.language)
                                                                + " " + name, "secret": password])
    }
}
