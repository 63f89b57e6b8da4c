import Foundation

/// How the CLI reaches a running watcher without HTTP: through the state store's
/// `control_requests` table, which the watcher polls about every 500 ms. Whether a watcher runs
/// is read from its lock (``WatcherLock/isHeld(stateFolder:)``).
public struct WatcherClient: Sendable {
    /// The configuration the CLI loaded (for the state folder).
    public let configuration: DriftWatchConfiguration

    /// A client for the install of `configuration`.
    public init(configuration: DriftWatchConfiguration) {
        self.configuration = configuration
    }

    /// A client for the install of the configuration file at `configPath`.
    public static func open(configPath: String) throws -> WatcherClient {
        WatcherClient(configuration: try ConfigurationLoader().load(path: configPath))
    }

    /// Whether a watcher runs on this state store now.
    public var isWatcherRunning: Bool { WatcherLock.isHeld(stateFolder: configuration.stateFolder) }

    private func store() throws -> SQLiteStateStore {
        try SQLiteStateStore(path: configuration.resolve(configuration.state).path)
    }

    /// Asks the running watcher to collect `devices` (all when empty) at the front of its queue;
    /// returns the request ids. Unknown devices throw `.unknownDevice` before anything is queued.
    public func requestCollection(_ devices: [String], reason: CollectionTrigger, user: String?) async throws
        -> [Int64]
    {
        let names = devices.isEmpty ? configuration.devices.map(\.name) : devices
        for name in names { _ = try configuration.device(named: name) }
        let store = try store()
        var ids: [Int64] = []
        for name in names { ids.append(try await store.requestTrigger(device: name, reason: reason, user: user)) }
        return ids
    }

    /// Asks the running watcher to reload and waits (at most `timeout`) for its answer.
    /// - Throws: `.watcherNotRunning` without a watcher; ``DriftWatchError`` `.invalidConfiguration`
    ///   with the watcher's message when it refused the configuration; `.ioFailed` on timeout.
    public func reload(requestedBy user: String, timeout: Duration = .seconds(30)) async throws -> ReloadSummary {
        guard isWatcherRunning else {
            throw DriftWatchError(
                .watcherNotRunning,
                "no watcher is running on this state store, so there is nothing to reload; start one with 'driftwatch watch'",
                file: configuration.resolve(configuration.state).path)
        }
        let store = try store()
        let id = try await store.requestReload(by: user)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            guard let request = try await store.controlRequest(id: id) else { continue }
            switch request.status {
            case .done:
                return try JSONDecoder().decode(ReloadSummary.self, from: Data((request.response ?? "").utf8))
            case .failed:
                throw DriftWatchError(
                    .invalidConfiguration,
                    "the watcher refused the reload and keeps its running configuration: \(request.response ?? "no reason given")")
            case .pending, .taken:
                continue
            }
        }
        throw DriftWatchError(
            .ioFailed,
            "the watcher did not answer the reload request within \(timeout); check its log (request \(id) stays queued)")
    }

    /// After an approval: when a watcher runs, queues an `approval` re-check of `device` and
    /// returns a line to print; nil when no watcher runs. Synchronous, for the synchronous
    /// `baseline approve` command (main thread, not the cooperative pool).
    public static func requestApprovalRecheck(configPath: String, device: String, user: String) -> String? {
        guard let client = try? open(configPath: configPath), client.isWatcherRunning else { return nil }
        do {
            try client.store().requestTriggerNow(device: device, reason: .approval, user: user)
            return "the running watcher will re-check \(device) now"
        } catch {
            return "the running watcher could not be asked to re-check \(device) (\(error)); it will at its next interval"
        }
    }
}
