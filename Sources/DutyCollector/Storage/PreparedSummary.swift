import Crypto
import Foundation
import Shared

/// A day summary turned into rows, outside any transaction (JSON encoding and row building run on
/// the caller's task, in parallel, not while the database is locked).
struct PreparedSummary: Sendable {
    var agent: String
    /// The business date, `yyyy-MM-dd`.
    var date: String
    var revision: Int
    var digest: String
    var site: String
    var generatedAt: Date
    var receivedAt: Date
    /// The summary as decoded (what a store without its own prepared path stores).
    var summary: DaySummary
    /// Hex SHA-256 of the content's canonical JSON: `summary.contentDigest()`, computed from the
    /// same encoded pieces as `body` (the content is encoded once, not again for the digest).
    var contentDigest: String
    /// The whole summary as canonical JSON.
    var body: String
    /// unit_days rows: agent, date, unit, scheduled, present, excused, unverified.
    var unitRows: [[SQLValue]]
    /// anomalies rows, in `SummaryWriter.anomalyColumns` order.
    var anomalyRows: [[SQLValue]]
    /// Every unit named and its ancestors, sorted.
    var units: [UnitPath]

    /// One canonical encoder for every summary (it keeps no state between calls).
    static let encoder = DaySummary.canonicalEncoder

    init(_ summary: DaySummary, receivedAt: Date) throws {
        let encoder = Self.encoder
        agent = summary.agent
        date = summary.date.description
        revision = summary.revision
        digest = summary.digest
        site = summary.site
        generatedAt = summary.generatedAt
        self.receivedAt = receivedAt
        self.summary = summary
        let key: [SQLValue] = [.text(agent), .text(date)]

        // Several entries for one unit (not expected from an agent) are added up, not lost.
        var figures: [String: UnitDayFigures] = [:]
        var order: [String] = []
        for u in summary.units {
            let unit = u.unit.description
            if var f = figures[unit] {
                f.scheduled += u.scheduled; f.present += u.present; f.excused += u.excused; f.unverified += u.unverified
                figures[unit] = f
            } else {
                figures[unit] = u
                order.append(unit)
            }
        }
        unitRows = order.map { unit in
            let f = figures[unit]!
            return key + [.text(unit), .int(f.scheduled), .int(f.present), .int(f.excused), .int(f.unverified)]
        }

        // Each anomaly is encoded once: its JSON is its row's body and a piece of the summary's body.
        var pieces: [String] = []
        pieces.reserveCapacity(summary.anomalies.count)
        for a in summary.anomalies {
            // Written straight into bytes (the same bytes; `CanonicalAnomalyJSON` leaves rare text to the encoder).
            let json = try CanonicalAnomalyJSON.bytes(a).map { String(decoding: $0, as: UTF8.self) }
                ?? String(decoding: encoder.encode(a), as: UTF8.self)
            pieces.append(json)
        }
        // Each person's day punches are a piece of the summary's body (the only place they are kept).
        let dayPieces = try summary.dayPunches.map { day in
            String(decoding: try CanonicalAnomalyJSON.bytes(day) ?? Array(encoder.encode(day)), as: UTF8.self)
        }
        let json = try PreparedSummary.canonical(summary, anomalies: pieces, dayPunches: dayPieces, encoder: encoder)
        contentDigest = json.digest
        body = json.body

        // An id repeated within one summary is the same anomaly twice; the first is kept.
        var seen: Set<String> = []
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(summary.anomalies.count)
        for (a, json) in zip(summary.anomalies, pieces) where seen.insert(a.id).inserted {
            rows.append(key + [.text(a.id), .int(summary.revision), .text(a.unit.description), .text(a.person),
                               .text(a.name), .text(a.kind.rawValue), .int(a.minutes), .text(a.severity.rawValue),
                               .int(a.excused ? 1 : 0), .text(a.reason), .text(a.shift), .text(json),
                               .int(a.suspected ? 1 : 0)])
        }
        anomalyRows = rows

        // By bytes, not as Swift compares strings: a unit in two normalisation forms is two rows.
        var all: [[UInt8]: UnitPath] = [:]
        for unit in summary.units.map(\.unit) + summary.anomalies.map(\.unit) {
            for u in unit.lineage where !u.components.isEmpty { all[Array(u.description.utf8)] = u }
        }
        // Sorted, so concurrent collectors take the closure rows' locks in the same order.
        units = all.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    /// The content's digest and the whole summary's canonical JSON, both assembled from one
    /// encoding of each top-level field (the anomalies' already-encoded JSON included).
    ///
    /// With sorted keys the content (`DaySummary.contentDigest()`) is
    /// `{"agent":…,"anomalies":[…],"date":…,"quality":…,"schema":…,"site":…,"units":…}` and the
    /// summary is the same with `"digest"` and `"generated_at"` after `"date"` and `"revision"`
    /// after `"quality"`: the same bytes as encoding either whole, which the tests check. Day
    /// punches (schema 3), when there are any, go after `"date"` as `"day_punches"`.
    static func canonical(_ summary: DaySummary, anomalies: [String], dayPunches: [String] = [],
                          encoder: JSONEncoder) throws -> (digest: String, body: String) {
        // Text and the time written into bytes; what `CanonicalAnomalyJSON` leaves, by the encoder.
        func text(_ s: String) throws -> [UInt8] { try CanonicalAnomalyJSON.string(s) ?? Array(encoder.encode(s)) }
        let agent = try text(summary.agent)
        let date = try text(summary.date.description)
        let quality = try CanonicalAnomalyJSON.bytes(summary.quality) ?? Array(encoder.encode(summary.quality))
        let site = try text(summary.site)
        let units = try CanonicalAnomalyJSON.bytes(summary.units) ?? Array(encoder.encode(summary.units))
        var list: [UInt8] = [UInt8(ascii: "[")]
        for (i, piece) in anomalies.enumerated() {
            if i > 0 { list.append(UInt8(ascii: ",")) }
            list.append(contentsOf: piece.utf8)
        }
        list.append(UInt8(ascii: "]"))

        var content: [UInt8] = []
        content.reserveCapacity(agent.count + list.count + date.count + quality.count + site.count + units.count + 96)
        func add(_ key: String, _ value: some Sequence<UInt8>) {
            content.append(contentsOf: key.utf8)
            content.append(contentsOf: value)
        }
        add(#"{"agent":"#, agent)
        add(#","anomalies":"#, list)
        add(#","date":"#, date)
        if !dayPunches.isEmpty {
            var days: [UInt8] = [UInt8(ascii: "[")]
            for (i, piece) in dayPunches.enumerated() {
                if i > 0 { days.append(UInt8(ascii: ",")) }
                days.append(contentsOf: piece.utf8)
            }
            days.append(UInt8(ascii: "]"))
            add(#","day_punches":"#, days)
        }
        let head = content.count
        add(#","quality":"#, quality)
        let middle = content.count
        add(#","schema":"#, String(summary.schema).utf8)
        add(#","site":"#, site)
        add(#","units":"#, units)
        content.append(UInt8(ascii: "}"))
        let digest = Hex.encode(SHA256.hash(data: content))

        let generatedAt = try CanonicalAnomalyJSON.instant(summary.generatedAt) ?? Array(encoder.encode(summary.generatedAt))
        var body: [UInt8] = []
        body.reserveCapacity(content.count + generatedAt.count + 128)
        body.append(contentsOf: content[..<head])
        body.append(contentsOf: #","digest":"#.utf8)
        body.append(contentsOf: try text(summary.digest))
        body.append(contentsOf: #","generated_at":"#.utf8)
        body.append(contentsOf: generatedAt)
        body.append(contentsOf: content[head..<middle])
        body.append(contentsOf: #","revision":"#.utf8)
        body.append(contentsOf: String(summary.revision).utf8)
        body.append(contentsOf: content[middle...])
        return (digest, String(decoding: body, as: UTF8.self))
    }
}
