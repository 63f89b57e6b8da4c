import Foundation

/// An email: RFC 5322 headers and a `multipart/alternative` body (text, and HTML when given).
///
/// ``rendered()`` writes it for SMTP `DATA`: RFC 2047 encoded words for non-ASCII headers,
/// quoted-printable UTF-8 bodies, lines within RFC limits, CRLF only.
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

    /// Two messages are equal when they render to the same text.
    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// Hashes the rendered text.
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// The message as RFC 5322 text with CRLF line ends, ready for SMTP `DATA` (before
    /// dot-stuffing, which ``SMTPClient`` does).
    ///
    /// Headers: `Date` (RFC 5322, UTC), `From`, `To`, `Subject`, `Message-ID`, `In-Reply-To` and
    /// `References` in angle brackets, `MIME-Version`, then ``extraHeaders``; non-ASCII values
    /// become RFC 2047 encoded words and lines are folded at 78 characters where possible. The
    /// body is `multipart/alternative` with a `text/plain` and a `text/html` part, both UTF-8
    /// quoted-printable (lines of at most 76 characters), or only the text part when ``html`` is
    /// `nil`. The boundary starts with `=_`, which quoted-printable output cannot contain.
    public func rendered() -> String {
        var head = ""
        head += MIMEEncoding.header("Date", MIMEEncoding.rfc5322Date(date))
        head += MIMEEncoding.header("From", from, isAddress: true)
        head += MIMEEncoding.header("To", to.joined(separator: ", "), isAddress: true)
        head += MIMEEncoding.header("Subject", subject)
        head += MIMEEncoding.header("Message-ID", Self.angle(messageID))
        if let inReplyTo { head += MIMEEncoding.header("In-Reply-To", Self.angle(inReplyTo)) }
        if !references.isEmpty {
            head += MIMEEncoding.header("References", references.map(Self.angle).joined(separator: " "))
        }
        head += "MIME-Version: 1.0\r\n"
        for (name, value) in extraHeaders {
            let cleanName = String(name.unicodeScalars.filter { $0.value > 32 && $0.value < 127 && $0 != ":" })
            guard !cleanName.isEmpty else { continue }
            head += MIMEEncoding.header(cleanName, value)
        }
        let textPart =
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(text) + "\r\n"
        guard let html else { return head + textPart }
        let boundary = self.boundary
        return head
            + "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            + "This is a multi-part message in MIME format.\r\n"
            + "--\(boundary)\r\n" + textPart
            + "--\(boundary)\r\n"
            + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(html) + "\r\n"
            + "--\(boundary)--\r\n"
    }

    /// The multipart boundary: `=_` (never produced by quoted-printable) and a hash of the
    /// Message-ID, so rendering is deterministic.
    public var boundary: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "=_DriftWatch_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `<id>`, with angle brackets the caller may already have written removed first.
    static func angle(_ id: String) -> String {
        var bare = id.trimmingCharacters(in: .whitespaces)
        if bare.hasPrefix("<") { bare.removeFirst() }
        if bare.hasSuffix(">") { bare.removeLast() }
        return "<" + bare + ">"
    }
}
