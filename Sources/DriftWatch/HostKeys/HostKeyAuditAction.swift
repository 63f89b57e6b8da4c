/// Audit action names for host-key changes (recorded in the state store's audit log).
public enum HostKeyAuditAction {
    /// A host key was trusted (`driftwatch hostkeys trust`).
    public static let trusted = "hostkey.trust"
    /// A trusted host key was removed (`driftwatch hostkeys forget`).
    public static let forgotten = "hostkey.forget"
    /// A device presented a key different from the trusted one.
    public static let changed = "hostkey.change"
}
