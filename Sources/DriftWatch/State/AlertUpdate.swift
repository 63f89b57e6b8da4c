/// What alerting decided for one alert: its new value, the messages to enqueue and an optional
/// audit record, all written in one transaction by ``StateStore/updateAlert(device:kind:key:_:)``.
public struct AlertUpdate: Sendable, Hashable {
    /// The alert as it should be stored (keep ``Alert/id`` as given to update it; nil inserts).
    public var alert: Alert
    /// Messages to enqueue for it.
    public var messages: [OutboxDraft]
    /// An audit record to append with the change (for example an acknowledgement).
    public var audit: AuditEntry?

    /// Creates an update.
    public init(alert: Alert, messages: [OutboxDraft] = [], audit: AuditEntry? = nil) {
        self.alert = alert
        self.messages = messages
        self.audit = audit
    }
}
