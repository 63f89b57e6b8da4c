/// Tunables of the watcher that `driftwatch.yaml` does not set (tests shorten them).
public struct WatcherOptions: Sendable {
    /// Retries and limits of each collection.
    public var collector: CollectorOptions
    /// SIGTERM/SIGINT end the watcher gracefully and SIGHUP reloads it (the `watch` command);
    /// off for watchers run inside tests.
    public var handleSignals: Bool
    /// How often the control-request table is polled (default 500 ms).
    public var controlPollInterval: Duration
    /// How often housekeeping runs: queue metrics, alerting's tick (default 5 s).
    public var housekeepingInterval: Duration
    /// How often device states are scanned for `stale` and counted for metrics (default 30 s).
    public var stateScanInterval: Duration
    /// How often old audit records are pruned (default daily).
    public var auditPruneInterval: Duration
    /// How long a trigger waits for more of its burst (default 1 s).
    public var debounce: Duration
    /// The first round is spread over at most this long (default 60 s).
    public var firstRoundWindow: Duration
    /// Jitter as a fraction of the interval (default 0.1).
    public var jitterFraction: Double

    /// Creates options with the defaults above.
    public init(
        collector: CollectorOptions = CollectorOptions(), handleSignals: Bool = false,
        controlPollInterval: Duration = .milliseconds(500), housekeepingInterval: Duration = .seconds(5),
        stateScanInterval: Duration = .seconds(30), auditPruneInterval: Duration = .seconds(86_400),
        debounce: Duration = .seconds(1), firstRoundWindow: Duration = .seconds(60), jitterFraction: Double = 0.1
    ) {
        self.collector = collector
        self.handleSignals = handleSignals
        self.controlPollInterval = controlPollInterval
        self.housekeepingInterval = housekeepingInterval
        self.stateScanInterval = stateScanInterval
        self.auditPruneInterval = auditPruneInterval
        self.debounce = debounce
        self.firstRoundWindow = firstRoundWindow
        self.jitterFraction = jitterFraction
    }
}
