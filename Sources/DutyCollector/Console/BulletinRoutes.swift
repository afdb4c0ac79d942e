import Foundation
import Hummingbird
import Shared

/// `/bulletin?month=YYYY-MM&unit=U`: the month's bulletin for the user's scope in the page (the
/// figures per unit, the ranking, repeat and serious cases), and `/bulletin/download/{format}`
/// with the same query: the bulletin from the existing renderers (HTML, Markdown, CSV, JSON).
///
/// The bulletin is built by `BulletinBuilder` from the store's roll-ups, so the page, the
/// downloads, `duty-collector bulletin` and `/api/v1/bulletin` give the same figures; the page,
/// the downloads and the API share `BulletinCache` (rebuilt when the data behind it changes), and
/// the page says when its figures were computed. After new summaries the page shows the bulletin
/// built before them at once, saying that newer data is being counted, while the new one is built
/// (the downloads wait for it). A unit
/// outside the user's subtrees is 404; without `unit` a scoped user gets their first subtree.
/// Staff have no bulletin (404).
struct BulletinRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let settings: BulletinSettings
    let zone: TimeZone
    let review: ReviewSettings
    let cache: BulletinCache
    let clock: @Sendable () -> Date

    /// The most repeat cases the page lists.
    static let repeatCasesShown = 200

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("bulletin") { request, context in try await page(request, context) }
        group.get("bulletin/download/:format") { request, context in try await download(request, context) }
    }

    /// The month and scope of the request, checked against the user's scope.
    private func scope(_ request: Request, _ context: ConsoleRequestContext) throws -> (ConsoleUser, ReportMonth, UnitPath?) {
        guard let user = context.identity, user.role != .staff else { throw HTTPError(.notFound) }
        let today = businessDate(of: clock(), in: zone)
        let month = request.uri.queryParameters["month"].flatMap { ReportMonth(String($0)) } ?? ReportMonth(containing: today)
        var unit = request.uri.queryParameters["unit"].map { UnitPath(String($0)) }.flatMap { $0.components.isEmpty ? nil : $0 }
        if let chosen = unit {
            guard user.sees(unit: chosen) else { throw HTTPError(.notFound) }
        } else if let units = user.units {
            guard let first = units.first else { throw HTTPError(.notFound) }
            unit = first
        }
        return (user, month, unit)
    }

    private func page(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let (_, month, unit) = try scope(request, context)
        let language = context.language
        let vocabulary = Vocabulary(language)
        let answer = try await cache.answer(month: month, under: unit, store: store, settings: settings, review: review,
                                            now: clock(), olderAllowed: true)
        let bulletin = answer.value
        let kinds: [AnomalyKind] = [.late, .earlyLeave, .absent, .missingIn, .missingOut, .offPost]
        var model = PageModel.base(request, context, titleKey: "bulletin", section: "bulletin")
        model["month"] = ConsoleFormat.month(month, language)
        model["scope"] = unit?.description ?? bulletin.organization
        model["documentNumber"] = bulletin.documentNumber
        model["k"] = Dictionary(uniqueKeysWithValues: [("late", AnomalyKind.late), ("earlyLeave", .earlyLeave), ("absent", .absent),
                                                       ("offPost", .offPost)].map { ($0.0, vocabulary.kind($0.1)) })
        model["kindHeads"] = kinds.map { ["label": vocabulary.kind($0)] }
        model["units"] = bulletin.units.map { u in
            [
                "name": u.unit.components.last ?? u.unit.description, "unit": u.unit.description, "indent": max(0, u.depth),
                "scheduled": u.scheduled, "present": u.present, "charged": u.charged,
                "score": OverviewRoute.format(u.score), "rank": u.rank.map(String.init) ?? "—",
                "change": u.scoreChange.map { ($0 > 0 ? "+" : "") + OverviewRoute.format($0) } ?? "—",
                "changeClass": (u.scoreChange ?? 0) > 0.05 ? "up" : ((u.scoreChange ?? 0) < -0.05 ? "down" : "flat"),
                "cells": kinds.map { kind in ["count": u.kinds.first { $0.kind == kind }?.count ?? 0] },
            ] as [String: Any]
        }
        // A month of 100,000 people has thousands of repeat cases: the page lists the first ones (in
        // the bulletin's order) and says how many there are; the downloads have them all.
        model["repeatCases"] = bulletin.repeatCases.prefix(Self.repeatCasesShown).map { c in
            ["name": c.name, "person": c.person, "unit": c.unit.description, "late": c.late, "earlyLeave": c.earlyLeave,
             "absent": c.absent, "offPost": c.offPost] as [String: Any]
        }
        model["hasRepeatCases"] = !bulletin.repeatCases.isEmpty
        model["repeatLimited"] = bulletin.repeatCases.count > Self.repeatCasesShown
        model["repeatShown"] = Self.repeatCasesShown
        model["repeatTotal"] = bulletin.repeatCases.count
        model["seriousCount"] = bulletin.seriousCases.count
        model["overdueCount"] = bulletin.review.overdue ?? 0
        model["openCount"] = bulletin.review.open
        model["reviewDays"] = review.reviewDays
        model["workingDaysRule"] = ConsoleText.workingDaysRule(review, language)
        model["asOf"] = ConsoleFormat.time(bulletin.generatedAt, zone: zone)
        model["older"] = !answer.current
        model["totals"] = ["scheduled": bulletin.totals.scheduled, "charged": bulletin.totals.charged,
                           "score": OverviewRoute.format(bulletin.totals.score)] as [String: Any]
        let query = "month=\(month)" + (unit.map { "&unit=" + ConsoleLinks.queryEscape($0.description) } ?? "")
            + "&lang=\(language.rawValue)"
        model["downloads"] = [("html", "HTML"), ("markdown", "Markdown"), ("csv", "CSV"), ("json", "JSON")].map {
            ["href": "/bulletin/download/\($0.0)?\(query)", "label": $0.1, "id": "download-\($0.0)"]
        }
        model["previousMonth"] = "/bulletin?month=\(month.previous)" + (unit.map { "&unit=" + ConsoleLinks.queryEscape($0.description) } ?? "")
        return pages.page("bulletin", model)
    }

    /// The bulletin of the month and scope with its 限时办结 figure (the overview's, see `OverdueFigure`).
    private func build(month: ReportMonth, unit: UnitPath?) async throws -> Bulletin {
        try await cache.bulletin(month: month, under: unit, store: store, settings: settings, review: review, now: clock())
    }

    private func download(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        let (_, month, unit) = try scope(request, context)
        guard let format = context.parameters.get("format").flatMap(BulletinCommand.Format.init(rawValue:)) else {
            throw HTTPError(.notFound)
        }
        let language: Language = request.uri.queryParameters["lang"] == "en" ? .en : .zh
        let bulletin = try await build(month: month, unit: unit)
        let text = try BulletinCommand.render(bulletin, format: format, language: language)
        let (type, ext) = switch format {
        case .html: ("text/html; charset=utf-8", "html")
        case .markdown: ("text/markdown; charset=utf-8", "md")
        case .csv: ("text/csv; charset=utf-8", "csv")
        case .json: ("application/json; charset=utf-8", "json")
        }
        let name = "bulletin-\(month)\(unit.map { "-" + ($0.components.last ?? "") } ?? "").\(ext)"
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "attachment; filename=\"bulletin-\(month).\(ext)\"; filename*=UTF-8''"
            + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "bulletin")
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
