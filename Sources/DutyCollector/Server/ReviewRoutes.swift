import Foundation
import Hummingbird
import Shared

/// HR review: `POST /api/v1/anomalies/{id}/review` and the audit log `GET /api/v1/audit`.
///
/// A decision is kept by the anomaly's stable id, so it survives new revisions of the day; an
/// excused anomaly leaves the counts and stays listed.
struct ReviewRoutes: Sendable {
    let store: any CollectorStore
    /// Asked to compute the console's overview and bulletin again after a decision (see `FigureWarmer`).
    var warmups: WarmRequests? = nil
    let clock: @Sendable () -> Date

    /// The body of a review.
    struct Decision: Decodable {
        var state: String?
        var note: String?
        var by: String?
    }

    /// The answer to a recorded review.
    struct Recorded: Encodable {
        var status = "reviewed"
        var anomaly: String
        var state: ReviewState
        var note: String
        var by: String
        var at: Date
    }

    /// Adds the routes to `group` (behind an admin/reviewer `AuthMiddleware`).
    func register(on group: RouterGroup<CollectorRequestContext>) {
        group.post("anomalies/:id/review") { request, context in try await self.review(request, context: context) }
        group.get("audit") { request, _ in
            let id = QueryParameters(request).string("anomaly")
            let log = try await reading("the audit log") { try await store.auditLog(anomalyID: id) }
            return JSONBody.response(.ok, APIModels.AuditResponse(entries: log.map(APIModels.AuditEntryJSON.init)))
        }
    }

    /// Records a decision. `by` defaults to the reviewer's name; the admin must give it.
    private func review(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let body: Decision
        do {
            body = try JSONDecoder().decode(Decision.self, from: Data(buffer.readableBytesView))
        } catch {
            throw SummaryDecoding.translate(error)
        }
        guard let stateText = body.state else {
            throw APIError.badRequest("missing_field", "state is missing (confirmed or excused)", field: "state")
        }
        guard let state = ReviewState(rawValue: stateText), state != .open else {
            throw APIError.badRequest("invalid_field", "state must be confirmed or excused, got \"\(stateText)\"", field: "state")
        }
        guard let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
            throw APIError.badRequest("missing_field", "note is missing: say why", field: "note")
        }
        let givenBy = body.by?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let by: String
        switch context.identity {
        case .reviewer(let name)?: by = givenBy ?? name
        default:
            guard let givenBy else { throw APIError.badRequest("missing_field", "by is missing: who decided", field: "by") }
            by = givenBy
        }
        let decision = ReviewDecision(anomalyID: id, state: state, note: note, by: by, at: clock())
        let found: Bool
        do {
            found = try await store.review(decision)
        } catch {
            throw StoreFailure.apiError(error, doing: "recording the review")
        }
        guard found else { throw APIError.notFound("no anomaly has the id \(id)") }
        // A script deciding many in a row asks for one warm-up after the one under way, not one each;
        // it computes the decided anomaly's month first, whichever it is (as a decision made in the
        // console does), so the next page of that month finds its figures.
        if let warmups {
            let decided = (try? await store.anomaly(id: id)).flatMap { $0 }.map { ReportMonth(containing: $0.anomaly.date) }
            await warmups.request(months: decided.map { [$0] } ?? [])
        }
        context.logger.info(
            "anomaly reviewed", metadata: ["duty.anomaly": .string(id), "duty.state": .string(state.rawValue), "duty.by": .string(by)])
        return JSONBody.response(.ok, Recorded(anomaly: id, state: state, note: note, by: by, at: decision.at))
    }
}

extension String {
    /// nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
