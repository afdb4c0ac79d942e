/// The bounds of the figures a summary may carry: the edge refuses anything outside them, and the
/// reports hold every stored row to them before adding up, so no sum can overflow.
enum FigureLimits {
    /// The largest count a unit may report for one day (scheduled, present, excused, unverified, or
    /// the anomalies of one kind): far above any real unit's person-shifts, far below where sums of
    /// years of them could overflow.
    static let maxCount = 1_000_000
    /// The most minutes one anomaly may carry: a day has 1,440, and no shift is longer.
    static let maxMinutes = 1_440
}
