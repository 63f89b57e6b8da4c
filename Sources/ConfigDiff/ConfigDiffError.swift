/// The one error type of ConfigDiff: a plain code to compare on, and a message a user can act on.
///
/// Messages never contain a secret value: anything quoted from a configuration is quoted after
/// masking.
public struct ConfigDiffError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for programs. Compare on this, never on ``message``.
    public enum Code: String, Sendable, Hashable {
        case invalidPattern
        case invalidProfile
        case unknownPlatform
        case parseFailed
        case incompleteCapture
        case invalidInput
    }

    /// The code.
    public let code: Code
    /// What failed, where, why and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
