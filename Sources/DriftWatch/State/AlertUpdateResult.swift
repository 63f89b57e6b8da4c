/// What ``StateStore/updateAlert(device:kind:key:_:)`` stored.
public struct AlertUpdateResult: Sendable, Hashable {
    /// The alert with its id.
    public var alert: Alert
    /// The enqueued messages with their ids and `Message-ID`s.
    public var messages: [OutboxMessage]
    /// The appended audit record, when one was given.
    public var audit: AuditRecord?
}
