import Foundation
import Prometheus
import Testing

@testable import DriftWatch

/// `/healthz`, `/readyz`, `/metrics` and the listen address, over real HTTP on loopback.
@Suite struct HTTPHealthTests {
    @Test func healthAnswersOkWithoutAToken() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let server = HTTPTestSupport.server(control: FixedWatcherControl(), store: fixture.store, token: nil)
        let answer = try await HTTPTestSupport.withServer(server) { port in
            try await HTTPTestSupport.request(.GET, "/healthz", port: port, token: nil)
        }
        #expect(answer.status == 200)
        #expect(answer.body == "ok\n")
    }

    @Test func readinessFollowsTheWatcher() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let control = FixedWatcherControl(ready: false)
        let server = HTTPTestSupport.server(control: control, store: fixture.store)
        let (before, after) = try await HTTPTestSupport.withServer(server) { port in
            let before = try await HTTPTestSupport.request(.GET, "/readyz", port: port, token: nil)
            control.setReady(true)
            let after = try await HTTPTestSupport.request(.GET, "/readyz", port: port, token: nil)
            return (before, after)
        }
        #expect(before.status == 503)
        #expect(before.body.contains("not ready"))
        #expect(after.status == 200)
        #expect(after.body == "ready\n")
    }

    /// Values recorded through ``WatcherMetrics`` and computed from the store come out of
    /// `/metrics` under their Prometheus names, labels and buckets.
    @Test func metricsExposeRecordedAndComputedValues() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let now = Date()
        // In the inventory: r1 clean (last success 120 s ago), r2 drifted (600 s ago), r3 never
        // evaluated. "gone" has a state but left the inventory: counted nowhere.
        try await fixture.store.saveDeviceState(
            DeviceState(device: "r1", status: .clean, since: now, lastSuccessAt: now.addingTimeInterval(-120)))
        try await fixture.store.saveDeviceState(
            DeviceState(
                device: "r2", status: .drifted, since: now, lastSuccessAt: now.addingTimeInterval(-600),
                drift: DriftSummary(added: 1)))
        try await fixture.store.saveDeviceState(
            DeviceState(device: "gone", status: .stale, since: now, lastSuccessAt: now.addingTimeInterval(-90_000)))
        let control = FixedWatcherControl(
            inventory: ["r1", "r2", "r3"].map { HTTPTestSupport.device($0) },
            queue: QueueSnapshot(due: 4, inFlight: 2, scheduled: 3, nextDueAt: nil))
        let registry = PrometheusCollectorRegistry()
        let metrics = WatcherMetrics(registry: registry)
        metrics.recordCollection(result: .ok, duration: .milliseconds(300))
        metrics.recordCollection(result: .ok, duration: .milliseconds(400))
        metrics.recordCollection(result: .timeout, duration: .seconds(45))
        let server = HTTPTestSupport.server(control: control, store: fixture.store, registry: registry)
        let answer = try await HTTPTestSupport.withServer(server) { port in
            try await HTTPTestSupport.request(.GET, "/metrics", port: port, token: nil)
        }
        #expect(answer.status == 200)
        #expect(answer.headers.first(name: "Content-Type") == "text/plain; version=0.0.4")
        let samples = PrometheusText(answer.body)
        #expect(samples.type("driftwatch_collections_total") == "counter")
        #expect(samples.value("driftwatch_collections_total", ["result": "ok"]) == 2)
        #expect(samples.value("driftwatch_collections_total", ["result": "timeout"]) == 1)
        #expect(samples.type("driftwatch_collection_duration_seconds") == "histogram")
        #expect(samples.bucketBounds("driftwatch_collection_duration_seconds") == [
            0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300,
        ])
        #expect(samples.bucket("driftwatch_collection_duration_seconds", le: 0.25) == 0)
        #expect(samples.bucket("driftwatch_collection_duration_seconds", le: 0.5) == 2)
        #expect(samples.bucket("driftwatch_collection_duration_seconds", le: 30) == 2)
        #expect(samples.bucket("driftwatch_collection_duration_seconds", le: 60) == 3)
        #expect(samples.value("driftwatch_collection_duration_seconds_count", [:]) == 3)
        let sum = samples.value("driftwatch_collection_duration_seconds_sum", [:]) ?? 0
        #expect(abs(sum - 45.7) < 0.001)
        #expect(samples.type("driftwatch_devices") == "gauge")
        #expect(samples.value("driftwatch_devices", ["state": "clean"]) == 1)
        #expect(samples.value("driftwatch_devices", ["state": "drifted"]) == 1)
        #expect(samples.value("driftwatch_devices", ["state": "stale"]) == 0)
        #expect(samples.value("driftwatch_devices", ["state": "host-key-changed"]) == 0)
        #expect(samples.value("driftwatch_queue_depth", [:]) == 4)
        let age = samples.value("driftwatch_oldest_successful_collection_age_seconds", [:]) ?? -1
        #expect(age >= 600 && age < 900, "oldest successful collection age \(age)")
    }

    @Test func listenAddressesParse() throws {
        let cases: [(String, String, Int)] = [
            ("127.0.0.1:9180", "127.0.0.1", 9180), ("[::1]:0", "::1", 0), ("localhost:80", "localhost", 80),
            ("0.0.0.0:65535", "0.0.0.0", 65535),
        ]
        for (text, host, port) in cases {
            let address = try ListenAddress(parsing: text)
            #expect(address.host == host, "\(text)")
            #expect(address.port == port, "\(text)")
            #expect(address.description == (text == "[::1]:0" ? "[::1]:0" : text))
        }
    }

    @Test(arguments: ["9180", "127.0.0.1", ":9180", "::1:9180", "[::1]9180", "[::1:9180", "host:65536", "host:http"])
    func badListenAddressesNameTheKey(text: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            guard let error = error as? DriftWatchError else { return false }
            return error.code == .invalidConfiguration && error.message.hasPrefix("http.listen:")
        }
    }

    @Test func aBadListenAddressFailsRunAndBoundPort() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let server = HTTPTestSupport.server(control: FixedWatcherControl(), store: fixture.store, listen: "nonsense")
        await #expect(throws: DriftWatchError.self) { try await server.run() }
        await #expect(throws: DriftWatchError.self) { _ = try await server.boundPort() }
    }

    @Test(.enabled(if: HTTPHealthTests.hasIPv6Loopback, "this machine has no IPv6 loopback (::1)"))
    func servesOnIPv6Loopback() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let server = HTTPTestSupport.server(control: FixedWatcherControl(), store: fixture.store, listen: "[::1]:0")
        let answer = try await HTTPTestSupport.withServer(server) { port in
            try await HTTPTestSupport.request(.GET, "/healthz", port: port, host: "::1", token: nil)
        }
        #expect(answer.status == 200)
    }

    static var hasIPv6Loopback: Bool {
        (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8))?.contains(
            "00000000000000000000000000000001") ?? false
    }
}

/// The samples of a Prometheus text exposition, read by name and labels.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let open = series.firstIndex(of: "{"), let close = series.lastIndex(of: "}") {
                name = String(series[..<open])
                for pair in series[series.index(after: open)..<close].split(separator: ",") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    guard keyValue.count == 2 else { continue }
                    labels[String(keyValue[0])] = String(keyValue[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
    }

    func type(_ name: String) -> String? { types[name] }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The finite `le` bounds of a histogram, in order.
    func bucketBounds(_ name: String) -> [Double] {
        samples.filter { $0.name == name + "_bucket" }.compactMap { $0.labels["le"].flatMap(Double.init) }
            .filter(\.isFinite)
    }

    func bucket(_ name: String, le bound: Double) -> Double? {
        samples.first { $0.name == name + "_bucket" && $0.labels["le"].flatMap(Double.init) == bound }?.value
    }
}
