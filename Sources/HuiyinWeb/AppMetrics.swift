import CoreMetrics
import Foundation
import Postgres
import HuiyinStore
import Prometheus

/// The server's Prometheus metrics, through swift-metrics. Owns its registry (no global
/// bootstrap), so several apps can live in one test process.
public final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    func contactRecorded(channel: String) {
        Counter(label: "huiyin_contacts_recorded_total", dimensions: [("channel", channel)], factory: factory).increment()
    }

    /// The text exposition, with pool gauges read at scrape time.
    func exposition(pool: PostgresPool.Statistics, batches: GroupCommitStatistics) -> [UInt8] {
        Gauge(label: "huiyin_intake_batches", factory: factory).record(batches.batches)
        Gauge(label: "huiyin_intake_batched_items", factory: factory).record(batches.items)
        Gauge(label: "huiyin_intake_largest_batch", factory: factory).record(batches.largestBatch)
        Gauge(label: "huiyin_db_pool_size", factory: factory).record(pool.size)
        Gauge(label: "huiyin_db_pool_open", factory: factory).record(pool.open)
        Gauge(label: "huiyin_db_pool_in_use", factory: factory).record(pool.inUse)
        return registry.emitToBuffer()
    }
}
