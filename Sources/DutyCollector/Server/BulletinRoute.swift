import Foundation
import Hummingbird
import Shared

/// `GET /api/v1/bulletin?month=YYYY-MM&unit=U`: the monthly bulletin's model as JSON
/// (the same figures as `duty-collector bulletin --format json`, with 限时办结 from `[review]`).
/// It shares the console's `BulletinCache`: built again only when the data behind it changed.
struct BulletinRoute: Sendable {
    let store: any CollectorStore
    let settings: BulletinSettings
    let review: ReviewSettings
    let cache: BulletinCache
    let clock: @Sendable () -> Date

    /// Adds the route to `group` (behind an admin/reviewer `AuthMiddleware`).
    func register(on group: RouterGroup<CollectorRequestContext>) {
        group.get("bulletin") { request, _ in
            let query = QueryParameters(request)
            guard let month = query.string("month") else {
                throw APIError.badRequest("missing_parameter", "month is missing (YYYY-MM)", field: "month")
            }
            guard let reportMonth = ReportMonth(month) else {
                throw APIError.badRequest("invalid_parameter", "month must be YYYY-MM, got \"\(month)\"", field: "month")
            }
            let bulletin = try await reading("the bulletin") {
                try await cache.bulletin(month: reportMonth, under: query.unit("unit"), store: store, settings: settings,
                                         review: review, now: clock())
            }
            let json: String
            do {
                json = try ReportJSON.encode(bulletin)
            } catch {
                throw APIError.internalError("the bulletin could not be encoded")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
