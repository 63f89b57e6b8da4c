/// Audit action names the watcher writes.
enum WatcherAuditAction {
    /// The configuration was reloaded (SIGHUP, `driftwatch reload`, the API); details: added,
    /// removed and changed devices, and the device count.
    static let reload = "config.reload"
}
