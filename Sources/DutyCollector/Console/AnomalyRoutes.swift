import Foundation
import Hummingbird
import Shared

/// `/anomalies/{id}`: one anomaly beside its evidence (the person's day as a timeline: punches with
/// reader, file and line, the shift windows, away intervals, leave), the staff member's
/// explanations and the review history; HR's decision form; the staff member's explanation form.
/// `/me`: a staff member's own anomalies.
struct AnomalyRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let zone: TimeZone
    let review: ReviewSettings
    /// Asked to compute the overview and bulletin again after a decision (see `FigureWarmer`).
    let warmups: WarmRequests
    let clock: @Sendable () -> Date

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("anomalies/:id") { request, context in try await anomalyPage(request, context) }
        group.post("anomalies/:id/review") { request, context in try await review(request, context) }
        group.post("anomalies/:id/explain") { request, context in try await explain(request, context) }
        group.get("me") { request, context in try await ownPage(request, context) }
    }

    /// The anomaly when it exists and the user may see it; 404 otherwise (the same answer for both).
    private func visible(_ context: ConsoleRequestContext) async throws -> (ConsoleUser, StoredAnomaly) {
        guard let user = context.identity, let id = context.parameters.get("id"),
              let stored = try await store.anomaly(id: id), user.sees(stored)
        else { throw HTTPError(.notFound) }
        return (user, stored)
    }

    private func anomalyPage(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let (user, stored) = try await visible(context)
        let a = stored.anomaly
        let language = context.language
        let vocabulary = Vocabulary(language)
        async let summaryQuery = store.summary(agent: stored.agent, date: a.date)
        async let explanationsQuery = store.explanations(anomalyID: a.id)
        async let historyQuery = store.auditLog(anomalyID: a.id)
        let summary = try await summaryQuery
        let day = summary?.anomalies.filter { $0.person == a.person } ?? [a]
        // Every punch of the person's day (wire format 3); nil from an older agent or collector.
        let dayPunches = summary?.dayPunches.first { $0.person == a.person }
        let today = businessDate(of: clock(), in: zone)
        let overdue = stored.review == .open && a.date <= review.overdueThrough(today: today)

        var model = PageModel.base(request, context, titleKey: "anomaly", section: user.role == .staff ? "me" : "reviews")
        var facts: [String: Any] = [
            "id": a.id, "name": a.name, "person": a.person, "month": ReportMonth(containing: a.date).description, "unit": a.unit.description, "date": a.date.description,
            "weekday": ConsoleFormat.weekday(a.date, language), "shift": a.shiftLabel, "duty": a.duty,
            "kind": vocabulary.kind(a.kind), "minutes": a.minutes, "severity": vocabulary.severity(a.severity),
            "severityClass": a.severity.rawValue, "state": vocabulary.review(stored.review), "stateClass": stored.review.rawValue,
            "overdue": overdue, "window": Self.window(a), "agent": stored.agent, "revision": stored.revision,
        ]
        // Mustache shows a section for any string, even an empty one: absent keys hide them.
        if a.excused { facts["leave"] = a.reason ?? ConsoleText.text("leave", language) }
        if !Self.away(a).isEmpty { facts["away"] = Self.away(a) }
        if a.suspected {
            facts["suspected"] = true
            facts["suspicion"] = Self.suspicion(a, review: stored.review, language: language)
        }
        model["anomaly"] = facts
        if stored.review != .open {
            model["decision"] = [
                "state": vocabulary.review(stored.review), "stateClass": stored.review.rawValue,
                "by": stored.reviewedBy ?? "", "note": stored.reviewNote ?? "",
                "at": stored.reviewedAt.map { ConsoleFormat.time($0, zone: zone) } ?? "",
            ]
        }
        // Every punch of the day when the agent sent them (schema 3), else the evidence alone, said so.
        model["timeline"] = DayTimeline(anomalies: day, focus: a.id, language: language, dayPunches: dayPunches).model
        model["evidence"] = DayTimeline.evidenceRows(day, dayPunches: dayPunches, language: language)
        model["allPunches"] = dayPunches != nil
        if let omitted = dayPunches?.omitted, omitted > 0 {
            model["omittedPunches"] = ConsoleText.text("omittedPunches", language)
                .replacingOccurrences(of: "{n}", with: "\(omitted)")
                .replacingOccurrences(of: "{limit}", with: "\(DaySummary.dayPunchLimit)")
        }
        let others = day.filter { $0.id != a.id }
        model["hasOthers"] = !others.isEmpty
        model["others"] = others.map { other in
            ["kind": vocabulary.kind(other.kind), "minutes": other.minutes, "href": "/anomalies/\(other.id)",
             "excused": other.excused, "reason": other.reason ?? ""] as [String: Any]
        }
        model["explanations"] = try await explanationsQuery.map { e in
            ["by": e.by, "text": e.text, "at": ConsoleFormat.time(e.at, zone: zone)]
        }
        let history = try await historyQuery
        model["hasHistory"] = !history.isEmpty
        model["history"] = history.map { d in
            ["state": vocabulary.review(d.state), "stateClass": d.state.rawValue, "by": d.by, "note": d.note,
             "at": ConsoleFormat.time(d.at, zone: zone)]
        }
        model["mayReview"] = user.mayReview
        model["reviewStates"] = [ReviewState.confirmed, .excused].map { ["value": $0.rawValue, "label": vocabulary.review($0)] }
        model["ownRecord"] = user.role == .staff
        model["mayExplain"] = user.role == .staff && stored.review == .open && !a.excused
        model["explained"] = request.uri.queryParameters["explained"] != nil
        model["reviewed"] = request.uri.queryParameters["reviewed"] != nil
        return pages.page("anomaly", model)
    }

    /// "09:00–17:00" of the anomaly's shift window, or "".
    static func window(_ a: Anomaly) -> String {
        guard let start = a.expectedStart, let end = a.expectedEnd else { return "" }
        return "\(start.timeOfDay.prefix(5))–\(end.timeOfDay.prefix(5))"
    }

    /// What a suspected anomaly means, in words: what the badges show and that nothing is charged
    /// unless HR confirms it; once decided, what the decision made of it.
    static func suspicion(_ a: Anomaly, review: ReviewState, language: Language) -> String {
        switch review {
        case .confirmed: return ConsoleText.text("suspectedConfirmedNote", language)
        case .excused: return ConsoleText.text("suspectedExcusedNote", language)
        case .open:
            let from = a.awayFrom.map { String($0.timeOfDay.prefix(5)) } ?? "?"
            let to = a.awayTo.map { String($0.timeOfDay.prefix(5)) } ?? "?"
            return ConsoleText.text("suspectedExplained", language).replacingOccurrences(of: "{name}", with: a.name)
                .replacingOccurrences(of: "{from}", with: from).replacingOccurrences(of: "{to}", with: to)
        }
    }

    static func away(_ a: Anomaly) -> String {
        guard let from = a.awayFrom, let to = a.awayTo else { return "" }
        return "\(from.timeOfDay.prefix(5))–\(to.timeOfDay.prefix(5))"
    }

    private func review(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let (user, stored) = try await visible(context)
        guard user.mayReview else { throw HTTPError(.notFound) }
        var request = request
        let decision = try ReviewDecisionForm(try await ConsoleForm.read(&request), language: context.language)
        _ = try await store.review(ReviewDecision(anomalyID: stored.anomaly.id, state: decision.state, note: decision.note,
                                                  by: user.name, at: clock()))
        await warmups.request(months: [ReportMonth(containing: stored.anomaly.date)])
        return .redirect(to: "/anomalies/\(stored.anomaly.id)?reviewed=1", type: .normal)
    }

    /// A staff member's explanation of their own open anomaly (情况说明); also in the audit events.
    private func explain(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let (user, stored) = try await visible(context)
        guard user.role == .staff else { throw HTTPError(.notFound) }
        guard stored.review == .open, !stored.anomaly.excused else {
            throw ConsoleError.invalid(ConsoleText.text("explainClosed", context.language), back: nil)
        }
        var request = request
        guard let text = try await ConsoleForm.read(&request).trimmed("text") else {
            throw ConsoleError.invalid(ConsoleText.text("explanationRequired", context.language), back: nil)
        }
        _ = try await store.addExplanation(Explanation(anomalyID: stored.anomaly.id, by: user.name,
                                                       text: String(text.prefix(2000)), at: clock()))
        return .redirect(to: "/anomalies/\(stored.anomaly.id)?explained=1", type: .normal)
    }

    /// `/me`: the staff member's own anomalies, newest first, 50 a page.
    private func ownPage(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity, user.role == .staff else { throw HTTPError(.notFound) }
        let language = context.language
        let vocabulary = Vocabulary(language)
        var filter = user.anomalyFilter
        filter.newestFirst = true
        filter.limit = 50
        let page = max(1, Int(request.uri.queryParameters["page"].map(String.init) ?? "1") ?? 1)
        filter.offset = (page - 1) * 50
        let query = filter
        async let totalQuery = store.countAnomalies(query)
        let found = try await store.anomalies(query)
        let total = try await totalQuery
        var model = PageModel.base(request, context, titleKey: "myRecord", section: "me")
        model["rows"] = found.map { stored in
            let a = stored.anomaly
            return [
                "date": a.date.description, "weekday": ConsoleFormat.weekday(a.date, language), "shift": a.shiftLabel,
                "kind": vocabulary.kind(a.kind), "minutes": a.minutes, "severity": vocabulary.severity(a.severity),
                "severityClass": a.severity.rawValue,
                "state": a.excused ? ConsoleText.text("onLeave", language) : vocabulary.review(stored.review),
                "stateClass": a.excused ? "excused" : stored.review.rawValue,
                "explainable": stored.review == .open && !a.excused, "href": "/anomalies/\(a.id)", "suspected": a.suspected,
            ] as [String: Any]
        }
        model["hasRows"] = !found.isEmpty
        model["total"] = total
        model["person"] = user.account.person ?? ""
        model["calendarHref"] = "/people/\(ConsoleLinks.queryEscape(user.account.person ?? ""))"
        if page > 1 { model["previousHref"] = "/me?page=\(page - 1)" }
        if page * 50 < total { model["nextHref"] = "/me?page=\(page + 1)" }
        model["page"] = page
        model["pageCount"] = max(1, (total + 49) / 50)
        return pages.page("me", model)
    }
}
