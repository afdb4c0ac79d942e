import Foundation

/// Building day summaries from a rule run.
///
/// A summary is a pure function of the evaluation: the same inputs give the same content and so
/// the same digest, whatever the time or order of the run. Anomalies and quality items are put in
/// a fixed order, units are sorted, and `generatedAt` and `revision` stay outside the digest.
///
/// Data-quality items go in the summary of the date they concern:
/// - an item with a `date` (reader_silent, clock_skew, a dated unknown_badge) goes to that date;
/// - an item without a date but with a file and line (a bad line of a badge file) goes to the date of
///   the nearest good punch above it in the same file, or below it when there is none above
///   (`QualityDating`); a corrupted row between the punches of 3 November is about 3 November;
/// - any other item (a file with no readable punch at all) goes to `fallbackDate`, the first date
///   of the run's range.
extension DaySummary {
    /// The summaries of `dates`, revision 0 (the spool numbers them), in date order.
    ///
    /// - Parameters:
    ///   - evaluation: the rule run; only instances, anomalies and items of `dates` are used.
    ///   - agent: the agent's id at the collector (`site.id`).
    ///   - site: the display name of the site.
    ///   - dating: where date-less quality items with a file and line belong.
    ///   - fallbackDate: where quality items with neither a date nor a resolvable line belong.
    ///   - dayPunches: every punch of the day of the people with an anomaly, by date
    ///     (`AttendanceEngine.dayPunches`); none gives summaries of schema 1 or 2.
    public static func build(from evaluation: Evaluation, dates: [CivilDate], agent: String, site: String,
                             generatedAt: Date, dating: QualityDating = QualityDating(),
                             fallbackDate: CivilDate? = nil,
                             dayPunches: [CivilDate: [PersonDayPunches]] = [:]) -> [DaySummary] {
        let wanted = Set(dates)
        var instances: [CivilDate: [InstanceOutcome]] = [:]
        let outcomes = evaluation.instances
        for i in outcomes.indices where wanted.contains(outcomes.date(at: i)) {
            instances[outcomes.date(at: i), default: []].append(outcomes[i])
        }
        var anomalies: [CivilDate: [Anomaly]] = [:]
        for a in evaluation.anomalies where wanted.contains(a.date) { anomalies[a.date, default: []].append(a) }
        var quality: [CivilDate: [QualityItem]] = [:]
        for q in evaluation.quality {
            guard let date = q.date ?? dating.date(file: q.file, line: q.line) ?? fallbackDate,
                  wanted.contains(date) else { continue }
            quality[date, default: []].append(q)
        }
        return wanted.sorted().map { date in
            DaySummary(agent: agent, site: site, date: date, revision: 0, generatedAt: generatedAt,
                       units: unitFigures(instances[date] ?? [], anomalies[date] ?? []),
                       anomalies: (anomalies[date] ?? []).sorted(by: anomalyOrder),
                       quality: (quality[date] ?? []).sorted(by: qualityOrder),
                       dayPunches: dayPunches[date] ?? [])
        }
    }

    /// Per unit: instances by status and charged anomalies by kind (suspected ones are not charged).
    ///
    /// A pending instance (which a decided date should not have) counts as unverified.
    static func unitFigures(_ instances: [InstanceOutcome], _ anomalies: [Anomaly]) -> [UnitDayFigures] {
        var figures: [UnitPath: UnitDayFigures] = [:]
        for i in instances {
            var f = figures[i.unit] ?? UnitDayFigures(unit: i.unit)
            f.scheduled += 1
            switch i.status {
            case .present: f.present += 1
            case .excused: f.excused += 1
            case .unverified, .pending: f.unverified += 1
            case .absent: break
            }
            figures[i.unit] = f
        }
        for a in anomalies where !a.excused && !a.suspected {
            var f = figures[a.unit] ?? UnitDayFigures(unit: a.unit)
            f.kinds[a.kind, default: KindFigures()].count += 1
            f.kinds[a.kind, default: KindFigures()].minutes += a.minutes
            figures[a.unit] = f
        }
        return figures.values.sorted { $0.unit < $1.unit }
    }

    /// Unit, person, shift, kind, then the id: a total order independent of the engine's.
    static func anomalyOrder(_ a: Anomaly, _ b: Anomaly) -> Bool {
        if a.unit != b.unit { return a.unit < b.unit }
        if a.person != b.person { return a.person < b.person }
        if a.shift != b.shift { return a.shift < b.shift }
        if a.kind != b.kind { return a.kind < b.kind }
        return a.id < b.id
    }

    /// Kind, file, line, badge, reader, message, count.
    static func qualityOrder(_ a: QualityItem, _ b: QualityItem) -> Bool {
        let ka = (a.kind.rawValue, a.file ?? "", a.line ?? 0, a.badge ?? "", a.reader ?? "", a.message)
        let kb = (b.kind.rawValue, b.file ?? "", b.line ?? 0, b.badge ?? "", b.reader ?? "", b.message)
        return ka == kb ? (a.count ?? 0) < (b.count ?? 0) : ka < kb
    }
}

/// The dates that the lines of each badge file concern, to place date-less quality items
/// (a bad line) in the day summary of the punches around them.
public struct QualityDating: Sendable {
    /// Per file: the line where each run of same-date punches starts, in line order.
    private var runs: [String: [(line: Int, date: CivilDate)]] = [:]

    /// No file known: every date-less item goes to the fallback date.
    public init() {}

    /// Indexes the punches by file and line; `files` is the table that `SourceRef.file` indexes.
    public init<Punches: Sequence<Punch>>(punches: Punches, files: [String]) {
        var byFile: [Int32: [(line: Int, date: CivilDate)]] = [:]
        for p in punches { byFile[p.source.file, default: []].append((Int(p.source.line), p.time.date)) }
        for (index, entries) in byFile where index >= 0 && Int(index) < files.count {
            var compact: [(line: Int, date: CivilDate)] = []
            for e in entries.sorted(by: { $0.line < $1.line }) where compact.last?.date != e.date {
                compact.append(e)
            }
            runs[files[Int(index)]] = compact
        }
    }

    /// Dates known line by line (an incremental reader keeps these instead of every punch): per
    /// file, (line, date) pairs in any order; a line takes the date of the nearest pair at or above it.
    public init(lines: [String: [(line: Int, date: CivilDate)]]) {
        for (file, entries) in lines where !entries.isEmpty { runs[file] = entries.sorted { $0.line < $1.line } }
    }

    /// The date of the nearest punch at or above `line` in `file`, else the first punch below it;
    /// nil when the file has no punch or either argument is nil.
    public func date(file: String?, line: Int?) -> CivilDate? {
        guard let file, let line, let entries = runs[file], let first = entries.first else { return nil }
        var low = 0, high = entries.count  // first index whose line > `line`
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].line <= line { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? first.date : entries[low - 1].date
    }
}
