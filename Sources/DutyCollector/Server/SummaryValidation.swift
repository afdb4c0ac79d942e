import Shared

/// Checks of a decoded summary's content that decoding cannot make: nothing negative, no unit
/// twice, every anomaly on the summary's business date. Each problem is a 400 naming the field.
enum SummaryValidation {
    /// Throws the first problem found.
    static func check(_ summary: DaySummary) throws(APIError) {
        guard summary.revision >= 1 else { throw invalid("revision", "must be 1 or more, got \(summary.revision)") }
        var seen = Set<UnitPath>()
        for (i, figures) in summary.units.enumerated() {
            let field = "units[\(i)]"
            guard !figures.unit.components.isEmpty else { throw invalid("\(field).unit", "must name a unit") }
            guard seen.insert(figures.unit).inserted else { throw invalid("\(field).unit", "\(figures.unit) appears twice") }
            for (name, value) in [("scheduled", figures.scheduled), ("present", figures.present), ("excused", figures.excused),
                                  ("unverified", figures.unverified)] where value < 0 {
                throw invalid("\(field).\(name)", "must not be negative, got \(value)")
            }
            for (kind, k) in figures.kinds where k.count < 0 || k.minutes < 0 {
                throw invalid("\(field).kinds.\(kind.rawValue)", "must not be negative")
            }
        }
        var ids = Set<String>()
        for (i, anomaly) in summary.anomalies.enumerated() {
            let field = "anomalies[\(i)]"
            guard !anomaly.id.isEmpty else { throw invalid("\(field).id", "must not be empty") }
            guard ids.insert(anomaly.id).inserted else { throw invalid("\(field).id", "\(anomaly.id) appears twice") }
            guard !anomaly.unit.components.isEmpty else { throw invalid("\(field).unit", "must name a unit") }
            guard anomaly.date == summary.date else {
                throw invalid("\(field).date", "is \(anomaly.date), not the summary's business date \(summary.date)")
            }
            guard anomaly.minutes >= 0 else { throw invalid("\(field).minutes", "must not be negative, got \(anomaly.minutes)") }
        }
    }

    private static func invalid(_ field: String, _ message: String) -> APIError {
        .badRequest("invalid_field", "\(field) \(message)", field: field)
    }
}
