/// Failures of collection that are not SSH errors: credentials that cannot be resolved, a
/// capture that is incomplete, the time limit, a command the device rejected.
///
/// Compare by ``code``. Messages name the device and say what to do; they never hold a secret
/// or configuration text.
public struct CollectionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A credential reference is missing or points nowhere (env var unset, file unreadable).
        case credentialsUnavailable
        /// The device's platform has no profile, or the profile cannot collect.
        case profileUnusable
        /// The capture looked truncated and was rejected.
        case incompleteCapture
        /// The device's hard time limit ran out.
        case timeLimit
        /// A command exited with a failure status.
        case commandFailed
        /// The state store could not be read or written.
        case stateStoreFailed
    }

    /// The code.
    public var code: Code
    /// The device concerned.
    public var device: String
    /// What failed, why and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, device: String, _ message: String) {
        self.code = code
        self.device = device
        self.message = message
    }

    /// `device: message`.
    public var description: String { "\(device): \(message)" }
}
