import Shared

/// What `check` reports for a run over business dates: the anomalies, the data-quality items
/// (the files' and the rule run's) and totals, ready for any digest format.
struct DigestReport: Sendable {
    /// The site's id and display name.
    var siteID: String
    var siteName: String
    var from: CivilDate
    var to: CivilDate
    /// The run was told the data is complete through this date (`--to`).
    var completeThrough: CivilDate?
    /// Every anomaly, excused ones included, ordered by unit, person, date, shift, kind.
    var anomalies: [Anomaly]
    /// Data-quality items: the files' first (bad lines, in file order), then the rule run's.
    var quality: [QualityItem]
    /// Every scheduled instance of the dates and what became of it.
    var instances: InstanceOutcomes
    var totals: DigestTotals

    /// A report from a rule run plus what ingest found.
    init(siteID: String, siteName: String, from: CivilDate, to: CivilDate, completeThrough: CivilDate?,
         evaluation: Evaluation, ingestQuality: [QualityItem], files: Int, punches: Int) {
        self.siteID = siteID
        self.siteName = siteName
        self.from = from
        self.to = to
        self.completeThrough = completeThrough
        // The engine lists them in this order already unless a transfer moved some: sorted only then.
        let listed = evaluation.anomalies
        let inOrder = zip(listed, listed.dropFirst()).allSatisfy { !Self.order($1, $0) }
        if inOrder {
            self.anomalies = listed
        } else {
            // Sorted by index, then copied once: a stable sort moves its elements many times, and an
            // anomaly is 200 bytes with a dozen references counted on every move.
            let sorted = listed.indices.sorted { Self.order(listed[$0], listed[$1]) }
            self.anomalies = sorted.map { listed[$0] }
        }
        self.quality = ingestQuality + evaluation.quality
        self.instances = evaluation.instances
        self.totals = DigestTotals(anomalies: anomalies, instances: instances, quality: quality, files: files,
                                   punches: punches)
    }

    /// Suspected anomalies (存疑待核): listed under their own heading, apart from every unit's table.
    var suspectedAnomalies: [Anomaly] { anomalies.filter(\.suspected) }

    /// The anomalies of each unit that has any (suspected ones apart), units in path order.
    var units: [(unit: UnitPath, anomalies: [Anomaly], totals: DigestTotals)] {
        // One copy of each anomaly into its unit's list (a filtered copy grouped again was two).
        var byUnit: [UnitPath: [Anomaly]] = [:]
        for a in anomalies where !a.suspected { byUnit[a.unit, default: []].append(a) }
        // Instances counted in one pass, a run of one unit at a time (they come unit by unit),
        // rather than a million of them grouped into copies.
        var counts: [UnitPath: DigestTotals.Instances] = [:]
        var start = instances.startIndex
        while start < instances.endIndex {
            let unit = instances.unitIndex(at: start)
            var end = start + 1
            while end < instances.endIndex, instances.unitIndex(at: end) == unit { end += 1 }
            if byUnit[instances.units[unit]] != nil {
                counts[instances.units[unit], default: .init()].add(instances, in: start..<end)
            }
            start = end
        }
        return byUnit.keys.sorted().map { unit in
            let list = byUnit[unit] ?? []
            return (unit, list, DigestTotals(anomalies: list, instanceCounts: counts[unit] ?? .init(), quality: [],
                                             files: 0, punches: 0))
        }
    }

    /// How many quality items of one kind the table and Markdown digests list.
    static let qualityShownPerKind = 10

    /// The quality items the table and Markdown digests list (the first of each kind), each with
    /// how many of its kind are left out after it when it is the last one listed; JSON and
    /// `validate` have them all.
    var qualityShown: [(item: QualityItem, omittedAfter: Int)] {
        var total: [QualityKind: Int] = [:]
        for q in quality { total[q.kind, default: 0] += 1 }
        var seen: [QualityKind: Int] = [:]
        var out: [(QualityItem, Int)] = []
        for q in quality {
            seen[q.kind, default: 0] += 1
            let n = seen[q.kind]!
            guard n <= Self.qualityShownPerKind else { continue }
            let lastShown = n == min(total[q.kind]!, Self.qualityShownPerKind)
            out.append((q, lastShown ? total[q.kind]! - n : 0))
        }
        return out
    }

    /// Unit, person, date, shift, kind.
    static func order(_ a: Anomaly, _ b: Anomaly) -> Bool {
        if a.unit != b.unit { return a.unit < b.unit }
        if a.person != b.person { return a.person < b.person }
        if a.date != b.date { return a.date < b.date }
        if a.shift != b.shift { return a.shift < b.shift }
        return a.kind < b.kind
    }
}

/// Counts and minutes of a set of anomalies and instances; the `totals` object of `check --format json`.
struct DigestTotals: Hashable, Sendable, Codable {
    /// One anomaly kind: charged count and minutes, excused count and minutes.
    struct Kind: Hashable, Sendable, Codable {
        var count = 0
        var minutes = 0
        var excused = 0
        var excusedMinutes = 0

        enum CodingKeys: String, CodingKey {
            case count, minutes, excused, excusedMinutes = "excused_minutes"
        }
    }

    /// What became of the scheduled instances.
    struct Instances: Hashable, Sendable, Codable {
        var scheduled = 0
        var present = 0
        var absent = 0
        var excused = 0
        var pending = 0
        var unverified = 0

        /// Counts `outcomes[range]` in, by their status alone.
        mutating func add(_ outcomes: InstanceOutcomes, in range: Range<Int>) {
            for i in range { add(outcomes.status(at: i)) }
        }

        /// Counts one outcome of `status` in.
        mutating func add(_ status: InstanceOutcome.Status) {
            scheduled += 1
            switch status {
            case .present: present += 1
            case .absent: absent += 1
            case .excused: excused += 1
            case .pending: pending += 1
            case .unverified: unverified += 1
            }
        }
    }

    /// Every anomaly listed.
    var anomalies = 0
    /// Those charged (not excused), and their minutes.
    var charged = 0
    var chargedMinutes = 0
    /// Those excused by leave or holiday.
    var excused = 0
    /// Suspected off-post (存疑待核), neither charged nor excused; absent from the JSON when none.
    var suspected: Int? = nil
    /// By machine kind (`late`, …); every kind is present.
    var kinds: [String: Kind] = [:]
    var instances = Instances()
    /// Punches read from every badge file.
    var punches = 0
    /// Bad lines skipped in the badge and table files.
    var badLines = 0
    /// Data-quality items of every kind.
    var qualityItems = 0
    /// Badge files read.
    var files = 0

    enum CodingKeys: String, CodingKey {
        case anomalies, charged, chargedMinutes = "charged_minutes", excused, suspected, kinds, instances, punches
        case badLines = "bad_lines", qualityItems = "quality_items", files
    }

    /// Totals over `anomalies` and `instances`.
    init(anomalies list: [Anomaly], instances outcomes: InstanceOutcomes, quality: [QualityItem], files: Int,
         punches: Int) {
        var counts = Instances()
        counts.add(outcomes, in: outcomes.indices)
        self.init(anomalies: list, instanceCounts: counts, quality: quality, files: files, punches: punches)
    }

    /// Totals over `anomalies`, with the instances already counted.
    init(anomalies list: [Anomaly], instanceCounts: Instances, quality: [QualityItem], files: Int, punches: Int) {
        for kind in AnomalyKind.allCases { kinds[kind.rawValue] = Kind() }
        for a in list {
            anomalies += 1
            if a.excused {
                excused += 1
                kinds[a.kind.rawValue]?.excused += 1
                kinds[a.kind.rawValue]?.excusedMinutes += a.minutes
            } else if a.suspected {
                suspected = (suspected ?? 0) + 1
            } else {
                charged += 1
                chargedMinutes += a.minutes
                kinds[a.kind.rawValue]?.count += 1
                kinds[a.kind.rawValue]?.minutes += a.minutes
            }
        }
        instances = instanceCounts
        self.punches = punches
        self.files = files
        qualityItems = quality.count
        badLines = quality.count { $0.kind == .badLine }
    }

    /// The figures of `kind`.
    subscript(kind: AnomalyKind) -> Kind { kinds[kind.rawValue] ?? Kind() }
}
