import ServiceLifecycle

/// A named long-running loop of the watcher as a `Service` (housekeeping, the control-request
/// poller, the SIGHUP listener).
struct WatcherTask: Service, CustomStringConvertible {
    let name: String
    let body: @Sendable () async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.body = body
    }

    func run() async throws { try await body() }

    var description: String { name }

    /// Sleeps `duration`; false when graceful shutdown or cancellation cut it short.
    static func pause(_ duration: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
        } catch {
            return false
        }
        return !Task.isCancelled && !Task.isShuttingDownGracefully
    }
}
