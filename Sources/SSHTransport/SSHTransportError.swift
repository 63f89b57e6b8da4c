/// The one error type of SSHTransport: a plain ``Code`` to compare against, the endpoint it
/// concerns, and a message a user can act on (it always names `host:port`).
///
/// Compare errors by ``code``, never by message text. No secret (password, passphrase, enable
/// secret) ever appears in an error.
public struct SSHTransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a closed set of cases callers can switch over.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The name did not resolve, or every address refused or was unreachable.
        case connectionFailed
        /// The connect timeout or the per-operation timeout ran out.
        case timeout
        /// The SSH handshake failed, most often because no algorithm is common to both sides.
        case handshakeFailed
        /// The server's host key is not in `known_hosts` and the policy is strict.
        case hostKeyUnknown
        /// `known_hosts` holds a different key for this host: possible man-in-the-middle, or the
        /// device was replaced. ``SSHTransportError/expectedFingerprint`` and
        /// ``SSHTransportError/presentedFingerprint`` are both set.
        case hostKeyChanged
        /// The presented key is marked `@revoked` in `known_hosts`.
        case hostKeyRevoked
        /// The `known_hosts` file could not be read or written.
        case knownHostsUnavailable
        /// The server refused the credentials, or offers no method the credentials can use.
        case authenticationFailed
        /// The private key file is missing, unreadable, in an unknown format, or the passphrase is wrong.
        case privateKeyUnusable
        /// A channel (exec, shell, PTY) could not be opened or the server refused the request.
        case channelFailed
        /// The connection broke while an operation was running.
        case connectionLost
        /// A command's output passed ``SSHOptions/outputLimit``.
        case outputTooLarge
        /// A regular expression given in ``ShellOptions`` does not compile.
        case invalidPattern
        /// Enable mode was refused (wrong secret, or the prompt did not change).
        case enableFailed
        /// An SFTP operation failed (no such file, permission denied, no SFTP subsystem).
        case sftpFailed
        /// The session was already closed, or broken by an earlier timeout or error.
        case sessionClosed
        /// libssh2 reported something not covered above (the message carries its text).
        case protocolError
    }

    /// What went wrong.
    public var code: Code
    /// The endpoint concerned, if any.
    public var endpoint: SSHEndpoint?
    /// The full, actionable message.
    public var message: String
    /// The fingerprint `known_hosts` holds (``Code/hostKeyChanged``), as `SHA256:…`.
    public var expectedFingerprint: String?
    /// The fingerprint the server presented (host-key errors), as `SHA256:…`.
    public var presentedFingerprint: String?
    /// The authentication methods the server offered (``Code/authenticationFailed``).
    public var offeredMethods: [String]

    /// Makes an error; `message` should say what failed, where, why and what to do.
    public init(
        _ code: Code, endpoint: SSHEndpoint?, message: String, expectedFingerprint: String? = nil,
        presentedFingerprint: String? = nil, offeredMethods: [String] = []
    ) {
        self.code = code
        self.endpoint = endpoint
        self.message = message
        self.expectedFingerprint = expectedFingerprint
        self.presentedFingerprint = presentedFingerprint
        self.offeredMethods = offeredMethods
    }

    /// The message, prefixed with the endpoint when it does not already name it.
    public var description: String {
        guard let endpoint, !message.contains(endpoint.description) else { return message }
        return "\(endpoint): \(message)"
    }
}
