/// Exponential backoff with full jitter: the n-th wait is uniform in `0 ... min(cap, base · 2ⁿ)`,
/// so many agents that lost the collector at once do not come back in step. A `Retry-After`
/// from the collector is honoured as it is (never shortened).
struct Backoff: Sendable {
    /// Seconds.
    var base: Double
    var cap: Double
    /// Failures since the last success.
    private(set) var failures = 0
    /// Uniform in `0 ... upper`; replaced in tests.
    var uniform: @Sendable (Double) -> Double

    init(base: Double = 1, cap: Double = 300, uniform: @escaping @Sendable (Double) -> Double = { Double.random(in: 0...$0) }) {
        self.base = base
        self.cap = cap
        self.uniform = uniform
    }

    /// The ceiling of the next wait, before jitter.
    var ceiling: Double { min(cap, base * Double(1 << min(failures, 40))) }

    /// The seconds to wait after another failure; `retryAfter` (seconds) when the collector said so.
    mutating func next(retryAfter: Int? = nil) -> Double {
        let jittered = uniform(ceiling)
        failures += 1
        if let retryAfter, retryAfter >= 0 { return Double(retryAfter) }
        return jittered
    }

    /// After a success: start again from `base`.
    mutating func reset() { failures = 0 }
}
