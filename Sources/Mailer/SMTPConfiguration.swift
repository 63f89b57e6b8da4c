import Foundation

/// How to reach an SMTP server.
public struct SMTPConfiguration: Sendable, Hashable {
    /// How the connection is secured.
    public enum Security: String, Sendable, Hashable {
        /// No TLS (loopback test servers only).
        case none
        /// `STARTTLS` after `EHLO`; refuse to send when the server does not offer it.
        case startTLS
        /// TLS from the first byte (port 465).
        case implicitTLS
    }

    /// Server host name or address.
    public var host: String
    /// Server port.
    public var port: Int
    /// TLS mode.
    public var security: Security
    /// A PEM file of CA certificates to trust instead of the system's (verification stays on).
    public var caFile: String?
    /// The login name for AUTH, when any.
    public var username: String?
    /// The password for AUTH (resolved from a reference by the caller; never logged).
    public var password: String?
    /// The name given in `EHLO`.
    public var heloName: String
    /// Timeout for connecting and for each reply.
    public var timeout: Duration

    /// Creates a configuration.
    public init(
        host: String, port: Int, security: Security = .startTLS, caFile: String? = nil, username: String? = nil,
        password: String? = nil, heloName: String = "localhost", timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.caFile = caFile
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
    }
}
