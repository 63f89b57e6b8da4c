/// DriftWatch: inventory, collector, scheduler, state store, alerting and the watcher service.
public enum DriftWatchVersion {
    /// The version printed by `driftwatch --version`.
    public static let current = "0.1.0-dev"
}
