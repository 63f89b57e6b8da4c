import Baselines
import ConfigDiff
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization

/// The watcher's HTTP endpoint: `/healthz`, `/readyz`, `/metrics` and the read-only JSON API
/// under `/api/v1` (see `docs/http-api.md`).
///
/// A swift-service-lifecycle `Service` running a hummingbird 2 application: add it to the
/// watcher's `ServiceGroup`; a graceful shutdown of the group stops it, and so does cancelling
/// ``run()``.
///
/// ## Decisions
///
/// - **Computed gauges are refreshed by this server, on each scrape of `/metrics`**: devices by
///   state and the oldest successful collection age from the state store (inventory devices
///   only), the queue depth from ``WatcherControl/queueSnapshot()``. The scraper's interval is
///   the refresh interval, nothing runs between scrapes, and the watcher only records events
///   (collections, syslog triggers) through ``WatcherMetrics``. A store error during a refresh
///   is logged and the scrape still answers, with the previous values.
/// - **The API is off without a token**: every `/api/v1` route then answers 404 with a JSON
///   error saying how to turn it on; health and metrics stay on. The token is compared in
///   constant time (SHA-256 digests of the presented and the configured token) and never logged.
/// - The API acts as the user `http-api` in the audit log (reload) and in triggers.
public final class WatcherHTTPServer: Service, Sendable {
    /// The `http.listen` text this server binds.
    public let listen: String
    let control: any WatcherControl
    let store: any StateStore
    let registry: PrometheusCollectorRegistry
    let metrics: WatcherMetrics
    let tokenDigest: String?
    let logger: Logger
    let catalog: ProfileCatalog?
    /// How many collection runs `GET /api/v1/devices/{name}` lists.
    let recentRunLimit = 20
    private let binding = Mutex(Binding.waiting([]))

    /// The user the API acts as in the audit log and in triggers.
    static let apiUser = "http-api"

    /// Where the server is in binding its port.
    private enum Binding {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(DriftWatchError)
    }

    /// Creates the endpoint.
    /// - Parameters:
    ///   - listen: `http.listen`: `HOST:PORT` or `[IPV6]:PORT`; port 0 binds a free port.
    ///   - control: the running watcher.
    ///   - store: the state store the API reads.
    ///   - registry: the registry `/metrics` emits; the watcher records into the same one
    ///     (through ``WatcherMetrics/init(registry:)``).
    ///   - apiToken: the bearer token of `/api/v1` (``HTTPSettings/resolveToken(relativeTo:environment:)``);
    ///     nil turns the API off.
    ///   - logger: the logger (the token never reaches it).
    public convenience init(
        listen: String, control: any WatcherControl, store: any StateStore, registry: PrometheusCollectorRegistry,
        apiToken: String?, logger: Logger
    ) {
        self.init(
            listen: listen, control: control, store: store, registry: registry, apiToken: apiToken, logger: logger,
            catalog: try? ProfileCatalog())
    }

    /// Creates the endpoint with the install's platform profiles, used to compute the remediation
    /// lines of `/api/v1/devices/{name}/drift` (nil: the remediation is `null`).
    public init(
        listen: String, control: any WatcherControl, store: any StateStore, registry: PrometheusCollectorRegistry,
        apiToken: String?, logger: Logger, catalog: ProfileCatalog?
    ) {
        self.listen = listen
        self.control = control
        self.store = store
        self.registry = registry
        self.metrics = WatcherMetrics(registry: registry)
        self.tokenDigest = apiToken.map { SHA256Hex.of($0) }
        self.logger = logger
        self.catalog = catalog
    }

    /// Binds the listen address and serves until cancelled or until the service group shuts
    /// down gracefully.
    /// - Throws: ``DriftWatchError`` `.invalidConfiguration` for a bad `http.listen`, or the
    ///   server's error when the address cannot be bound.
    public func run() async throws {
        let address: ListenAddress
        do {
            address = try ListenAddress(parsing: listen)
        } catch let error as DriftWatchError {
            finishBinding(.failure(error))
            throw error
        }
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port)),
            onServerRunning: { [weak self] channel in
                guard let self else { return }
                let port = channel.localAddress?.port ?? address.port
                self.logger.info(
                    "HTTP endpoint listening",
                    metadata: [
                        "http.listen": "\(ListenAddress(host: address.host, port: port))",
                        "http.api": "\(self.tokenDigest == nil ? "off" : "on")",
                    ])
                self.finishBinding(.success(port))
            },
            logger: logger)
        do {
            try await app.run()
        } catch {
            finishBinding(
                .failure(
                    DriftWatchError(
                        .ioFailed,
                        "http.listen: cannot serve on \(address): \(error). Choose a free address and port in http.listen"
                    )))
            throw error
        }
        finishBinding(
            .failure(DriftWatchError(.notAvailable, "the HTTP endpoint on \(address) stopped before it was bound")))
    }

    /// The TCP port the server listens on, once it is bound (waits for ``run()`` to bind).
    /// - Throws: the error that kept ``run()`` from binding.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = binding.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .bound(let port):
                    return .success(port)
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Records the outcome of binding and wakes the waiters; later outcomes are ignored.
    private func finishBinding(_ result: Result<Int, DriftWatchError>) {
        let waiters: [CheckedContinuation<Int, any Error>] = binding.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            switch result {
            case .success(let port): state = .bound(port)
            case .failure(let error): state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }
}
