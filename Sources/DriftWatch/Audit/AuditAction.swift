/// The `action` names written to the audit log. Strings, so that later parts of DriftWatch (host
/// keys, alert acknowledgements, reloads) add names without a format change.
public enum AuditAction {
    /// A baseline version approved from a file or snapshot.
    public static let baselineApprove = "baseline.approve"
    /// A baseline version approved as a copy of an earlier one.
    public static let baselineRollback = "baseline.rollback"
    /// A standard's working file approved as its next version.
    public static let standardApprove = "standard.approve"
    /// The configuration re-read by a running watcher (SIGHUP or `driftwatch reload`); details
    /// carry the reload summary's counts.
    public static let configReload = "config.reload"
}
