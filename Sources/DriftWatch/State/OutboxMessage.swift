import Foundation

/// A message in the outbox.
public struct OutboxMessage: Sendable, Hashable {
    /// The row id.
    public var id: Int64
    /// The alert it belongs to (nil for a digest spanning several alerts).
    public var alertID: Int64?
    /// `email` or `webhook`.
    public var channel: String
    /// The stable `Message-ID`: a message re-sent after a crash carries the same one.
    public var messageID: String
    /// Email addresses or a webhook URL.
    public var recipients: [String]
    /// The subject.
    public var subject: String
    /// The rendered, masked body.
    public var body: String
    /// The delivery state.
    public var status: OutboxStatus
    /// Delivery attempts started so far (a claim counts as one).
    public var attempts: Int
    /// When the message is next due.
    public var nextAttemptAt: Date
    /// The last failure, as the server said it.
    public var lastError: String?
    /// When it was enqueued.
    public var createdAt: Date
    /// When it was delivered.
    public var sentAt: Date?
}
