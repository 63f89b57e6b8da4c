import Foundation

/// A message to enqueue in the outbox: already rendered and masked.
public struct OutboxDraft: Sendable, Hashable {
    /// The channel: `email` or `webhook` (alerting may add more).
    public var channel: String
    /// Email addresses or a webhook URL.
    public var recipients: [String]
    /// The subject (empty for a webhook).
    public var subject: String
    /// The rendered body (MIME text or JSON), secrets masked.
    public var body: String
    /// The stable `Message-ID`; the store makes a unique one when nil.
    public var messageID: String?
    /// Not sent before this time (nil: as soon as possible).
    public var notBefore: Date?

    /// Creates a draft.
    public init(
        channel: String = "email", recipients: [String], subject: String, body: String, messageID: String? = nil,
        notBefore: Date? = nil
    ) {
        self.channel = channel
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.notBefore = notBefore
    }
}
