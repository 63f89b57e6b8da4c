/// A failed delivery: transient (4xx, network, timeout: retry later) or permanent (5xx).
///
/// Compare by ``isTransient`` and ``kind`` (or the server's ``code``), never by message text.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of step failed.
    public enum Kind: String, Sendable, Hashable {
        /// The TCP connection could not be made (refused, unreachable, connect timeout).
        case connect
        /// A step got no reply within ``SMTPConfiguration/timeout``.
        case timeout
        /// The connection closed or failed mid-conversation.
        case connectionLost
        /// TLS failed: handshake, certificate or host name verification, or an unreadable CA file.
        case tls
        /// The server lacks something the configuration requires (STARTTLS, AUTH, a mechanism).
        case unsupported
        /// The server refused a step with a 4xx or 5xx reply (see ``SMTPError/code``).
        case rejected
        /// AUTH was refused.
        case authentication
        /// The message is larger than the server's `SIZE` limit.
        case messageTooLarge
        /// The server sent something that is not SMTP.
        case protocolViolation
        /// The configuration or the call is unusable (no recipients, no password).
        case invalidRequest
    }

    /// True when retrying later may succeed.
    public var isTransient: Bool
    /// The server's reply code, when it replied.
    public var code: Int?
    /// What failed, with the server's words.
    public var message: String

    /// What failed.
    public var kind: Kind

    /// Creates an error; `kind` is ``Kind/rejected`` when the server replied (`code` set),
    /// else ``Kind/connectionLost``.
    public init(isTransient: Bool, code: Int?, message: String) {
        self.init(isTransient: isTransient, kind: code == nil ? .connectionLost : .rejected, code: code, message: message)
    }

    /// Creates an error of a given kind.
    public init(isTransient: Bool, kind: Kind, code: Int? = nil, message: String) {
        self.isTransient = isTransient
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
