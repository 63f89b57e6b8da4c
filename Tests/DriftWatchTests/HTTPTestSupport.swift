import AsyncHTTPClient
import ConfigDiff
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import Synchronization
import Testing

@testable import DriftWatch

/// A watcher that answers what the test set (readiness, inventory, queue, the result of a
/// reload) and records what it was asked to do (triggers, reloads).
final class FixedWatcherControl: WatcherControl {
    struct Trigger: Sendable, Hashable {
        var device: String
        var reason: CollectionTrigger
        var user: String?
    }

    private struct State {
        var ready: Bool
        var inventory: [DeviceEntry]
        var queue: QueueSnapshot
        var reloadResult: Result<ReloadSummary, DriftWatchError>
        var triggers: [Trigger] = []
        var reloads: [String] = []
    }

    private let state: Mutex<State>

    init(
        ready: Bool = true, inventory: [DeviceEntry] = [],
        queue: QueueSnapshot = QueueSnapshot(due: 0, inFlight: 0, scheduled: 0, nextDueAt: nil),
        reloadResult: Result<ReloadSummary, DriftWatchError> = .success(ReloadSummary(devices: 0))
    ) {
        state = Mutex(State(ready: ready, inventory: inventory, queue: queue, reloadResult: reloadResult))
    }

    func setReady(_ ready: Bool) { state.withLock { $0.ready = ready } }
    func setReloadResult(_ result: Result<ReloadSummary, DriftWatchError>) { state.withLock { $0.reloadResult = result } }
    var triggers: [Trigger] { state.withLock { $0.triggers } }
    var reloads: [String] { state.withLock { $0.reloads } }

    func isReady() async -> Bool { state.withLock { $0.ready } }

    func reload(requestedBy: String) async throws -> ReloadSummary {
        let result = state.withLock { state in
            state.reloads.append(requestedBy)
            return state.reloadResult
        }
        return try result.get()
    }

    func trigger(device: String, reason: CollectionTrigger, user: String?) async throws {
        let known = state.withLock { state in
            guard state.inventory.contains(where: { $0.name == device }) else { return false }
            state.triggers.append(Trigger(device: device, reason: reason, user: user))
            return true
        }
        guard known else { throw DriftWatchError(.unknownDevice, "\(device) is not in the inventory") }
    }

    func queueSnapshot() async -> QueueSnapshot { state.withLock { $0.queue } }

    func inventory() async -> [DeviceEntry] { state.withLock { $0.inventory } }
}

/// One answer read from the server.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

/// Starts servers on 127.0.0.1 and talks to them over real HTTP (AsyncHTTPClient).
enum HTTPTestSupport {
    static let token = "test-token-3f9c2a71d0b84e56"

    /// Runs `server` while `body` talks to it on its bound port, then stops it.
    static func withServer<T: Sendable>(
        _ server: WatcherHTTPServer, _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            let port = try await server.boundPort()
            let result = try await body(port)
            group.cancelAll()
            do {
                while let _ = try await group.next() {}
            } catch is CancellationError {}
            return result
        }
    }

    /// A server on 127.0.0.1:0 over `control` and `store`.
    static func server(
        control: FixedWatcherControl, store: any StateStore, registry: PrometheusCollectorRegistry = .init(),
        token: String? = HTTPTestSupport.token, listen: String = "127.0.0.1:0"
    ) -> WatcherHTTPServer {
        WatcherHTTPServer(
            listen: listen, control: control, store: store, registry: registry, apiToken: token,
            logger: Logger(label: "test.http", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Sends one request and reads the whole answer.
    static func request(
        _ method: HTTPMethod = .GET, _ path: String, port: Int, host: String = "127.0.0.1",
        token: String? = HTTPTestSupport.token, authorization: String? = nil
    ) async throws -> HTTPAnswer {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var request = HTTPClientRequest(url: "http://\(hostPart):\(port)\(path)")
        request.method = method
        if let authorization {
            request.headers.add(name: "Authorization", value: authorization)
        } else if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 8 << 20)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }

    static func device(_ name: String, platform: String = "cisco_ios", groups: [String] = ["core"]) -> DeviceEntry {
        DeviceEntry(name: name, host: "192.0.2.10", platform: platform, groups: groups)
    }

    /// Parses the `{"…": …}` members of a JSON array in an answer.
    static func objects(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }
}
