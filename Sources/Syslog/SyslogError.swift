/// What went wrong in the syslog module.
public struct SyslogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compare errors by code, never by message.
    public enum Code: Sendable, Hashable {
        /// A `/…/` pattern is not a valid regular expression.
        case invalidPattern
        /// The listener could not bind its address and port.
        case bindFailed
        /// The listener is not running (it stopped, or failed before binding).
        case notRunning
    }

    /// The kind of failure.
    public var code: Code
    /// What failed, where, why and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
