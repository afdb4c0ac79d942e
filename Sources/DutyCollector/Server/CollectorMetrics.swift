import Foundation
import Prometheus

/// The collector's own metrics, kept in one Prometheus registry that `/metrics` prints.
///
/// Each application gets its registry (tests build many); `serve` also bootstraps swift-metrics
/// with the same registry so library metrics land there too.
struct CollectorMetrics: Sendable {
    /// The registry `/metrics` emits.
    let registry: PrometheusCollectorRegistry
    private let received: Counter

    /// Registers the counters and the latency histogram in `registry`.
    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.received = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "summaries_received", unitName: "total",
                helpText: "Day summaries accepted (stored or an unchanged repeat)"))
    }

    /// A summary was accepted (2xx).
    func summaryReceived() { received.increment() }

    /// A summary was refused; `reason` is the API error's reason (`unknown_token`, `unit_not_granted`…).
    func summaryRejected(reason: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "summaries_rejected", unitName: "total", helpText: "Day summaries refused, by reason"),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Records how long a request took, by route and status.
    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "http_request_duration", unitName: "seconds", helpText: "Request latency by route"),
            labels: [("route", route), ("method", method), ("status", String(status))],
            buckets: Self.buckets
        ).record(duration)
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String { registry.emitToString() }

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(5),
    ]
}
