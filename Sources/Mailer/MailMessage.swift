import Foundation

/// An email: RFC 5322 headers and a `multipart/alternative` body (text, and HTML when given).
///
/// Placeholder API: the rendering is completed by the Mailer work (RFC 2047 encoded words,
/// quoted-printable bodies, line lengths).
public struct MailMessage: Sendable, Hashable {
    /// `From:` address (`name <addr>` or `addr`).
    public var from: String
    /// `To:` addresses.
    public var to: [String]
    /// Subject (any Unicode; encoded as RFC 2047 when not ASCII).
    public var subject: String
    /// `Message-ID` without angle brackets, such as `alert-12.1@driftwatch.example.net`.
    public var messageID: String
    /// `In-Reply-To` (without angle brackets).
    public var inReplyTo: String?
    /// `References` (without angle brackets), oldest first.
    public var references: [String]
    /// `Date:`.
    public var date: Date
    /// The `text/plain` part.
    public var text: String
    /// The `text/html` part, when any.
    public var html: String?
    /// Extra headers (name, value), such as `X-DriftWatch-Device`.
    public var extraHeaders: [(String, String)]

    /// Creates a message.
    public init(
        from: String, to: [String], subject: String, messageID: String, inReplyTo: String? = nil,
        references: [String] = [], date: Date, text: String, html: String? = nil, extraHeaders: [(String, String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.text = text
        self.html = html
        self.extraHeaders = extraHeaders
    }

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// The message as RFC 5322 text with CRLF line ends, ready for SMTP `DATA` (before
    /// dot-stuffing, which ``SMTPClient`` does).
    public func rendered() -> String {
        "From: \(from)\r\nTo: \(to.joined(separator: ", "))\r\nSubject: \(subject)\r\nMessage-ID: <\(messageID)>\r\n\r\n\(text)"
    }
}
