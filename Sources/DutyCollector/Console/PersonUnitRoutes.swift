import Foundation
import Hummingbird
import Shared

/// `/people/{id}?month=YYYY-MM`: one person's month as a calendar, one cell a day with that day's
/// anomalies (kind, minutes, review state; leave shown as leave), and the month's totals.
/// `/units?unit=U&month=YYYY-MM`: one unit's figures with its sub-units, and its people with
/// charged anomalies this month, repeat cases first.
///
/// The collector knows a person only through their anomalies: a person none of whose anomalies
/// lies in the user's scope is 404, and a day without an anomaly says nothing more than that.
struct PersonUnitRoutes: Sendable {
    let store: any CollectorStore
    let pages: ConsolePages
    let settings: BulletinSettings
    let zone: TimeZone
    let cache: StampedCache
    let clock: @Sendable () -> Date

    /// The most people a unit page lists (those with the most charged anomalies).
    static let peopleShown = 200

    func register(on group: RouterGroup<ConsoleRequestContext>) {
        group.get("people/:id") { request, context in try await personPage(request, context) }
        group.get("units") { request, context in try await unitPage(request, context) }
    }

    private func month(_ request: Request) -> ReportMonth {
        let today = businessDate(of: clock(), in: zone)
        return request.uri.queryParameters["month"].flatMap { ReportMonth(String($0)) } ?? ReportMonth(containing: today)
    }

    private func personPage(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity, let id = context.parameters.get("id") else { throw HTTPError(.notFound) }
        var filter = user.anomalyFilter
        if user.role == .staff, user.account.person != id { throw HTTPError(.notFound) }
        filter.personID = id
        guard try await store.countAnomalies(filter) > 0 else { throw HTTPError(.notFound) }
        let month = month(request)
        filter.from = month.first
        filter.to = month.last
        let found = try await store.anomalies(filter)
        let language = context.language
        let vocabulary = Vocabulary(language)
        var byDay: [CivilDate: [StoredAnomaly]] = [:]
        for stored in found { byDay[stored.anomaly.date, default: []].append(stored) }

        // Weeks from Monday; blank cells before the 1st and after the last day.
        let weekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri, .sat, .sun]
        let lead = weekdays.firstIndex(of: month.first.weekday) ?? 0
        var cells: [[String: Any]] = Array(repeating: ["blank": true], count: lead)
        for day in 0..<month.dayCount {
            let date = month.first.adding(days: day)
            let items = (byDay[date] ?? []).map { stored -> [String: Any] in
                let a = stored.anomaly
                let state = a.excused ? "leave" : stored.review.rawValue
                return ["label": a.excused ? (a.reason ?? ConsoleText.text("leave", language)) : vocabulary.kind(a.kind),
                        "minutes": a.excused || a.minutes == 0 ? "" : "\(a.minutes)′", "stateClass": state,
                        "state": a.excused ? ConsoleText.text("onLeave", language) : vocabulary.review(stored.review),
                        "href": "/anomalies/\(a.id)"]
            }
            cells.append(["day": day + 1, "items": items, "weekend": [.sat, .sun].contains(date.weekday),
                          "quiet": items.isEmpty])
        }
        while cells.count % 7 != 0 { cells.append(["blank": true]) }
        let weeks = stride(from: 0, to: cells.count, by: 7).map { ["days": Array(cells[$0..<($0 + 7)])] }

        let charged = found.filter { !$0.anomaly.excused && $0.review != .excused }
        let totals: [[String: Any]] = AnomalyKind.allCases.compactMap { kind in
            let of = charged.filter { $0.anomaly.kind == kind }
            guard !of.isEmpty else { return nil }
            return ["label": vocabulary.kind(kind), "count": of.count, "minutes": of.reduce(0) { $0 + $1.anomaly.minutes }]
        }
        let sample = found.first?.anomaly
        var model = PageModel.base(request, context, titleKey: "personPage", section: user.role == .staff ? "me" : "reviews")
        model["person"] = ["id": id, "name": sample?.name ?? id, "unit": sample?.unit.description ?? ""]
        model["month"] = ConsoleFormat.month(month, language)
        model["weekdayHeads"] = weekdays.map { ["label": ConsoleFormat.weekdayName($0, language)] }
        model["weeks"] = weeks
        model["totals"] = totals
        model["hasTotals"] = !totals.isEmpty
        model["open"] = found.filter { $0.review == .open && !$0.anomaly.excused }.count
        model["previousMonth"] = "/people/\(ConsoleLinks.queryEscape(id))?month=\(month.previous)"
        model["nextMonth"] = "/people/\(ConsoleLinks.queryEscape(id))?month=\(ReportMonth(containing: month.last.adding(days: 1)))"
        return pages.page("person", model)
    }

    private func unitPage(_ request: Request, _ context: ConsoleRequestContext) async throws -> Response {
        guard let user = context.identity, user.role != .staff,
              let text = request.uri.queryParameters["unit"].map(String.init), !UnitPath(text).components.isEmpty
        else { throw HTTPError(.notFound) }
        let unit = UnitPath(text)
        guard user.sees(unit: unit) else { throw HTTPError(.notFound) }
        let month = month(request)
        let language = context.language
        let vocabulary = Vocabulary(language)
        // Kept while the store's stamp of the month is unchanged (summaries, reviews and agents added
        // or revoked make it change; contact times do not); after new summaries the figures computed
        // before them are shown, saying so, while the current ones are computed (see the overview).
        let stamp = try await store.dataStamp(from: month.first, to: month.last).stamp(withContact: false)
        let key = "unit|\(month)|" + unit.description
        let answer = try await cache.value(for: key, stamp: stamp, olderAllowed: true) { [clock] in
            async let figuresQuery = store.unitFigures(from: month.first, to: month.last, under: unit)
            async let countsQuery = store.topPeople(from: month.first, to: month.last, under: unit, limit: Self.peopleShown)
            return UnitPageFigures(figures: try await figuresQuery, people: try await countsQuery, computedAt: clock())
        }
        let (allFigures, counts) = answer.value.pair
        let figures = allFigures.filter { $0.unit.components.count <= unit.components.count + 1 }
        let kinds = OverviewRoute.columns
        let rows: [[String: Any]] = figures.map { f in
            let charged = f.kinds.values.reduce(0) { $0 + $1.count }
            return ["name": f.unit == unit ? f.unit.description : (f.unit.components.last ?? ""), "top": f.unit == unit,
                    "href": "/units?unit=\(ConsoleLinks.queryEscape(f.unit.description))&month=\(month)",
                    "scheduled": f.scheduled, "present": f.present, "charged": charged,
                    "rate": OverviewRoute.rate(charged, f.scheduled).map(OverviewRoute.format) ?? "—",
                    "cells": kinds.map { c in ["count": c.kinds.reduce(0) { $0 + (f.kinds[$1]?.count ?? 0) }] }]
        }
        var people: [String: (name: String, counts: [AnomalyKind: Int])] = [:]
        for c in counts {
            people[c.person, default: (c.name, [:])].counts[c.kind, default: 0] += c.count
        }
        let personRows: [[String: Any]] = people.map { id, p in
            let lateEarly = (p.counts[.late] ?? 0) + (p.counts[.earlyLeave] ?? 0)
            let repeatCase = lateEarly >= settings.repeatLateEarly || (p.counts[.absent] ?? 0) >= settings.repeatAbsent
                || (p.counts[.offPost] ?? 0) >= settings.repeatOffPost
            return ["id": id, "name": p.name, "total": p.counts.values.reduce(0, +), "repeat": repeatCase,
                    "href": "/people/\(ConsoleLinks.queryEscape(id))?month=\(month)",
                    "cells": kinds.map { c in ["count": c.kinds.reduce(0) { $0 + (p.counts[$1] ?? 0) }] }]
        }.sorted { a, b in
            let (ra, rb) = (a["repeat"] as? Bool ?? false, b["repeat"] as? Bool ?? false)
            if ra != rb { return ra }
            let (ta, tb) = (a["total"] as? Int ?? 0, b["total"] as? Int ?? 0)
            return ta != tb ? ta > tb : (a["id"] as? String ?? "") < (b["id"] as? String ?? "")
        }
        var model = PageModel.base(request, context, titleKey: "unitPage", section: "home")
        model["unit"] = unit.description
        if !answer.current { model["olderAsOf"] = ConsoleFormat.time(answer.value.computedAt, zone: zone) }
        model["month"] = ConsoleFormat.month(month, language)
        model["kindHeads"] = kinds.map { c in
            ["label": c.key == "missing" ? ConsoleText.text("missing", language) : vocabulary.kind(c.kinds[0])]
        }
        model["rows"] = rows
        model["people"] = personRows
        model["hasPeople"] = !personRows.isEmpty
        model["peopleShown"] = Self.peopleShown
        model["limited"] = personRows.count >= Self.peopleShown
        model["queueHref"] = "/reviews?state=all&unit=\(ConsoleLinks.queryEscape(unit.description))&from=\(month.first)&to=\(month.last)"
        model["previousMonth"] = "/units?unit=\(ConsoleLinks.queryEscape(unit.description))&month=\(month.previous)"
        return pages.page("unit", model)
    }
}

/// What the unit page reads from the store: the figures of the unit and its sub-units, and the
/// people with the most charged anomalies.
struct UnitPageFigures: Sendable {
    var figures: [UnitFigures]
    var people: [PersonKindCount]
    var computedAt: Date
    var pair: ([UnitFigures], [PersonKindCount]) { (figures, people) }
}
