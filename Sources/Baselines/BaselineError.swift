/// The one error type of the Baselines module: a plain code to compare on, the file (and line)
/// it concerns, and a message a user can act on.
///
/// Messages never quote a secret: baseline files hold masked text only, and errors about a
/// configuration quote statement text after masking.
public struct BaselineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for programs. Compare on this, never on ``message``.
    public enum Code: String, Sendable, Hashable {
        /// A YAML or JSON file could not be read as the format it must have.
        case malformedFile
        /// A value in a file is of the right shape but not allowed (unknown severity, bad regex…).
        case invalidValue
        /// A device, version or standard that was asked for does not exist.
        case notFound
        /// A name (device, standard) cannot be used as a folder name.
        case invalidName
        /// The approver may not approve for one of the groups concerned.
        case notAuthorized
        /// Another approval was committed since the preview; nothing was written.
        case concurrentChange
        /// A file-system operation failed.
        case ioFailed
        /// The stored history does not verify; see the verification report.
        case integrityFailure
    }

    /// The code.
    public let code: Code
    /// What failed, where, why and what to do.
    public let message: String
    /// The file concerned, when there is one.
    public let file: String?
    /// The 1-based line in ``file``, when known.
    public let line: Int?

    /// Creates an error. The message should already say what to do; ``description`` prefixes the
    /// file and line.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `file:line: message`, or the message alone when there is no file.
    public var description: String {
        switch (file, line) {
        case (let file?, let line?): return "\(file):\(line): \(message)"
        case (let file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
