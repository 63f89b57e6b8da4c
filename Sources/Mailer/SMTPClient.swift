import Foundation
import Logging

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

/// A failed delivery: transient (4xx, network, timeout: retry later) or permanent (5xx).
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// True when retrying later may succeed.
    public var isTransient: Bool
    /// The server's reply code, when it replied.
    public var code: Int?
    /// What failed, with the server's words.
    public var message: String

    /// Creates an error.
    public init(isTransient: Bool, code: Int?, message: String) {
        self.isTransient = isTransient
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// An SMTP client on SwiftNIO. Placeholder: completed by the Mailer work.
public struct SMTPClient: Sendable {
    /// The server.
    public let configuration: SMTPConfiguration
    /// Logs the dialogue at debug level (never the password or the message body).
    public let logger: Logger

    /// Creates a client.
    public init(configuration: SMTPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends one message (`rendered` RFC 5322 text) to `recipients` in one SMTP transaction.
    /// - Throws: ``SMTPError``.
    public func send(from sender: String, to recipients: [String], message rendered: String) async throws {
        throw SMTPError(isTransient: true, code: nil, message: "SMTP delivery is not implemented yet")
    }
}
