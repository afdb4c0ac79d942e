import Foundation
import Hummingbird
import Shared

/// `/reviews`: the review queue of the user's scope (filters by unit, person, kind, severity,
/// state and dates; newest or oldest first; 50 a page; overdue rows marked), and `POST /reviews`,
/// which confirms or excuses the ticked anomalies with one required note.
///
/// Managers see the queue but no forms; staff do not see it (404). A bulk decision naming any
/// anomaly outside the user's scope is refused whole (404) before anything is written.
struct ReviewQueueRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let zone: TimeZone
    let review: ReviewSettings
    /// Asked to compute the overview and bulletin again after a decision (see `FigureWarmer`).
    let warmups: WarmRequests
    let clock: @Sendable () -> Date

    static let pageSize = 50

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("reviews") { request, context in try await queue(request, context) }
        group.post("reviews") { request, context in try await decide(request, context) }
    }

    private func queue(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity, user.role != .staff else { throw HTTPError(.notFound) }
        let language = context.language
        let vocabulary = Vocabulary(language)
        let parameters = request.uri.queryParameters
        func value(_ name: String) -> String? { parameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces).nilIfEmpty }

        var filter = user.anomalyFilter
        filter.includeLeaveExcused = false
        var problems: [String] = []
        if let unit = value("unit") {
            let path = UnitPath(unit)
            guard user.sees(unit: path) else { throw HTTPError(.notFound) }
            filter.under = path
        }
        filter.person = value("person")
        if let kind = value("kind") {
            if let k = AnomalyKind(rawValue: kind) { filter.kind = k } else { problems.append("kind") }
        }
        if let severity = value("severity") {
            if let s = Severity(rawValue: severity) { filter.severity = s } else { problems.append("severity") }
        }
        let state = value("state") ?? "open"
        if state != "all" {
            if let s = ReviewState(rawValue: state) { filter.state = s } else { problems.append("state") }
        }
        for (name, keyPath) in [("from", \AnomalyFilter.from), ("to", \AnomalyFilter.to)] {
            if let text = value(name) {
                if let date = CivilDate(text) { filter[keyPath: keyPath] = date } else { problems.append(name) }
            }
        }
        // Suspicions: "only" (存疑待核 alone), "none" (everything else), absent: both, suspicions first.
        let suspicion = value("suspected")
        switch suspicion {
        case nil: break
        case "only": filter.suspected = true
        case "none": filter.suspected = false
        default: problems.append("suspected")
        }
        let oldestFirst = value("sort") == "oldest"
        filter.newestFirst = !oldestFirst
        let page = max(1, Int(value("page") ?? "1") ?? 1)
        filter.limit = Self.pageSize
        filter.offset = (page - 1) * Self.pageSize

        let query = filter
        async let unitsQuery = store.unitPaths()
        async let totalQuery = store.countAnomalies(query)
        let found = try await store.anomalies(query)
        let total = try await totalQuery
        let today = businessDate(of: clock(), in: zone)
        let overdueThrough = review.overdueThrough(today: today)
        let rows: [[String: Any]] = found.map { stored in
            let a = stored.anomaly
            let overdue = stored.review == .open && a.date <= overdueThrough
            return [
                "id": a.id, "date": a.date.description, "month": ReportMonth(containing: a.date).description, "weekday": ConsoleFormat.weekday(a.date, language),
                "person": a.person, "name": a.name, "unit": a.unit.description, "unitName": a.unit.components.last ?? "",
                "shift": a.shiftLabel, "duty": a.duty, "kind": vocabulary.kind(a.kind), "minutesText": a.minutes == 0 ? "—" : "\(a.minutes)",
                "severity": vocabulary.severity(a.severity), "severityClass": a.severity.rawValue,
                "state": vocabulary.review(stored.review), "stateClass": stored.review.rawValue,
                "overdue": overdue, "open": stored.review == .open, "suspected": a.suspected,
                "href": "/anomalies/\(ConsoleLinks.queryEscape(a.id))",
            ]
        }
        var model = PageModel.base(request, context, titleKey: "reviews", section: "reviews")
        model["rows"] = rows
        model["unitChoices"] = try await unitsQuery.filter { user.sees(unit: $0) }.map { ["path": $0.description] }
        model["hasRows"] = !rows.isEmpty
        model["total"] = total
        model["mayReview"] = user.mayReview
        model["problems"] = problems.isEmpty ? nil : problems.joined(separator: ", ")
        model["filter"] = [
            "unit": value("unit") ?? "", "person": value("person") ?? "", "from": value("from") ?? "", "to": value("to") ?? "",
        ]
        model["kinds"] = AnomalyKind.allCases.map { ["value": $0.rawValue, "label": vocabulary.kind($0), "selected": filter.kind == $0] }
        model["severities"] = Severity.allCases.map {
            ["value": $0.rawValue, "label": vocabulary.severity($0), "selected": filter.severity == $0]
        }
        model["states"] = ReviewState.allCases.map { ["value": $0.rawValue, "label": vocabulary.review($0), "selected": state == $0.rawValue] }
            + [["value": "all", "label": ConsoleText.text("allStates", language), "selected": state == "all"]]
        model["oldestFirst"] = oldestFirst
        model["suspicionChoices"] = [("", ConsoleText.text("any", language)), ("only", vocabulary.suspected),
                                     ("none", ConsoleText.text("notSuspected", language))]
            .map { ["value": $0.0, "label": $0.1, "selected": (suspicion ?? "") == $0.0] }
        model["reviewStates"] = [ReviewState.confirmed, .excused].map { ["value": $0.rawValue, "label": vocabulary.review($0)] }
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        model["page"] = page
        model["pageCount"] = pageCount
        model["back"] = request.uri.description
        if page > 1 { model["previousHref"] = Self.link(request, page: page - 1) }
        if page < pageCount { model["nextHref"] = Self.link(request, page: page + 1) }
        if let done = value("done") { model["notice"] = ConsoleText.text("decided", language).replacingOccurrences(of: "{n}", with: done) }
        return pages.page("reviews", model)
    }

    /// The queue's URL with another page number.
    static func link(_ request: Request, page: Int) -> String {
        var items = request.uri.queryParameters.filter { $0.key != "page" && $0.key != "done" }
            .map { "\($0.key)=\(ConsoleLinks.queryEscape(String($0.value)))" }
        items.append("page=\(page)")
        return "/reviews?" + items.joined(separator: "&")
    }

    /// Confirms or excuses every ticked anomaly with the note; back to the queue where it was.
    private func decide(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity, user.mayReview else { throw HTTPError(.notFound) }
        var request = request
        let form = try await ConsoleForm.read(&request)
        let ids = form.all("id")
        let back = ConsoleLinks.localTarget(form["back"]).flatMap { $0.hasPrefix("/reviews") ? $0 : nil } ?? "/reviews"
        let decision = try ReviewDecisionForm(form, language: context.language)
        guard !ids.isEmpty else { throw ConsoleError.invalid(ConsoleText.text("noneTicked", context.language), back: back) }
        var targets: [StoredAnomaly] = []
        for id in ids {
            guard let stored = try await store.anomaly(id: id), user.sees(stored) else { throw HTTPError(.notFound) }
            targets.append(stored)
        }
        let now = clock()
        for stored in targets {
            _ = try await store.review(ReviewDecision(anomalyID: stored.anomaly.id, state: decision.state, note: decision.note,
                                                      by: user.name, at: now))
        }
        await warmups.request(months: Set(targets.map { ReportMonth(containing: $0.anomaly.date) }))
        context.logger.info("anomalies reviewed in the console", metadata: [
            "duty.count": .stringConvertible(targets.count), "duty.state": .string(decision.state.rawValue),
        ])
        let separator = back.contains("?") ? "&" : "?"
        return .redirect(to: back + separator + "done=\(targets.count)", type: .normal)
    }
}

/// The state and note of a review form: confirmed or excused, and a note saying why.
struct ReviewDecisionForm {
    var state: ReviewState
    var note: String

    /// Throws `ConsoleError.invalid` (a 400 page) for another state or a blank note.
    init(_ form: ConsoleForm, language: Language) throws {
        guard let text = form["state"], let state = ReviewState(rawValue: text), state != .open else {
            throw ConsoleError.invalid(ConsoleText.text("chooseDecision", language), back: nil)
        }
        guard let note = form.trimmed("note") else { throw ConsoleError.invalid(ConsoleText.text("noteRequired", language), back: nil) }
        self.state = state
        self.note = String(note.prefix(2000))
    }
}
