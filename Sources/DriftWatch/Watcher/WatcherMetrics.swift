import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The watcher's metrics, made from an explicit factory (the executable passes swift-prometheus'
/// factory, tests pass `TestMetrics`; nothing here bootstraps a global).
///
/// Names carry the `driftwatch_` prefix and a unit suffix; labels are bounded (a result, a state):
/// never a device name or an error text.
public struct WatcherMetrics: Sendable {
    private let factory: any MetricsFactory

    /// Creates the metrics on `factory`.
    ///
    /// With a `PrometheusMetricsFactory`, use ``init(registry:)`` or ``prometheusFactory(registry:)``
    /// so that the duration histogram gets ``collectionDurationBuckets``.
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Creates the metrics on `registry`, through ``prometheusFactory(registry:)``.
    public init(registry: PrometheusCollectorRegistry) {
        self.init(factory: Self.prometheusFactory(registry: registry))
    }

    /// The buckets of `driftwatch_collection_duration_seconds`, from 100 ms to 5 min.
    ///
    /// swift-prometheus' default duration buckets stop at 10 s; a collection over SSH takes
    /// seconds and may run until its timeout (30 s by default) or time limit, so those defaults
    /// would put every slow collection in `+Inf`.
    public static let collectionDurationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(20), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]

    /// A swift-prometheus factory on `registry` with DriftWatch's histogram buckets. The
    /// executable records through this factory and `/metrics` emits `registry`; the global
    /// `MetricsSystem` is never bootstrapped.
    public static func prometheusFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["driftwatch_collection_duration_seconds"] = collectionDurationBuckets
        return factory
    }

    /// One collection ended: `driftwatch_collections_total{result}` and
    /// `driftwatch_collection_duration_seconds` (a histogram in Prometheus).
    public func recordCollection(result: CollectionResult, duration: Duration) {
        Counter(label: "driftwatch_collections_total", dimensions: [("result", result.rawValue)], factory: factory)
            .increment()
        Metrics.Timer(label: "driftwatch_collection_duration_seconds", preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// `driftwatch_devices{state}`: how many devices are in each state (every state is set, so a
    /// state that empties goes back to 0).
    public func setDeviceCounts(_ counts: [DeviceStatus: Int]) {
        for status in DeviceStatus.allCases {
            Gauge(label: "driftwatch_devices", dimensions: [("state", status.rawValue)], factory: factory)
                .record(counts[status] ?? 0)
        }
    }

    /// `driftwatch_queue_depth`: devices due and waiting.
    public func setQueueDepth(_ depth: Int) {
        Gauge(label: "driftwatch_queue_depth", factory: factory).record(depth)
    }

    /// `driftwatch_oldest_successful_collection_age_seconds`: the age of the least recent good
    /// collection over all devices.
    public func setOldestSuccessfulCollectionAge(seconds: Double) {
        Gauge(label: "driftwatch_oldest_successful_collection_age_seconds", factory: factory).record(seconds)
    }

    /// `driftwatch_outbox_messages{status}`: messages waiting, sent or failed in the outbox.
    public func setOutboxCounts(pending: Int, failed: Int) {
        Gauge(label: "driftwatch_outbox_messages", dimensions: [("status", "pending")], factory: factory)
            .record(pending)
        Gauge(label: "driftwatch_outbox_messages", dimensions: [("status", "failed")], factory: factory)
            .record(failed)
    }

    /// `driftwatch_syslog_triggers_total`: config-change messages that triggered a collection.
    public func recordSyslogTrigger() {
        Counter(label: "driftwatch_syslog_triggers_total", factory: factory).increment()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
