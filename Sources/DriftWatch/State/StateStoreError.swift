/// The error of the state store: a plain code to compare on, the database file concerned and a
/// message a user can act on.
///
/// `DriftWatchError` belongs to the configuration part of the module; the state store keeps its
/// own codes here so that each can say what to do.
public struct StateStoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for programs. Compare on this, never on ``message``.
    public enum Code: String, Sendable, Hashable {
        /// The database file or its folder could not be created or opened.
        case openFailed
        /// The schema could not be brought to the current version.
        case migrationFailed
        /// A read or write failed (disk full, locked for longer than the busy timeout, I/O error).
        case databaseFailed
        /// A stored row cannot be read back (an unknown enum value, malformed JSON): the file was
        /// edited by hand or written by a newer DriftWatch.
        case corruptRecord
        /// A row named by id does not exist.
        case notFound
        /// An argument is out of range (for example an audit retention under 180 days).
        case invalidArgument
        /// The change conflicts with stored state (for example a second open alert for one key).
        case conflict
    }

    /// The code.
    public let code: Code
    /// What failed, where, why and what to do.
    public let message: String
    /// The database file, when known.
    public let file: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
    }

    /// `file: message`, or the message alone.
    public var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}
