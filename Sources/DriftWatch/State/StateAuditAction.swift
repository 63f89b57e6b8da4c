/// Audit action names the state store writes itself (to join ``AuditAction`` when that file is
/// next edited).
enum StateAuditAction {
    /// An alert acknowledged (`driftwatch alerts ack ID --as NAME`).
    static let alertAcknowledge = "alert.ack"
    /// Old audit records deleted by retention, up to the anchor named in the details.
    static let auditPrune = "audit.prune"
}
