import Baselines

/// The one error type of the DriftWatch module: a plain code to compare on, the file (and line)
/// concerned, and a message a user can act on. Later parts of the watcher add codes here.
public struct DriftWatchError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for programs. Compare on this, never on ``message``.
    public enum Code: String, Sendable, Hashable {
        /// `driftwatch.yaml` is missing.
        case configurationNotFound
        /// `driftwatch.yaml` has a syntax error, an unknown key or a bad value.
        case invalidConfiguration
        /// A device named on the command line is not in the inventory.
        case unknownDevice
        /// The audit log cannot be read or written.
        case auditLogFailed
        /// The command needs a part of DriftWatch that is not there yet (stored snapshots).
        case notAvailable
        /// The command would ask on a terminal, and there is none; `--yes` is needed.
        case confirmationRequired
        /// The user answered no; nothing was written.
        case declined
        /// A configuration file could not be normalized or parsed.
        case normalizationFailed
        /// A file could not be read or written.
        case ioFailed
        /// Another watcher already uses the state store (its lock file is held).
        case watcherRunning
        /// The command needs a running watcher, and none runs.
        case watcherNotRunning
    }

    /// The code.
    public let code: Code
    /// What failed, where, why and what to do.
    public let message: String
    /// The file concerned, when there is one.
    public let file: String?
    /// The 1-based line in ``file``, when known.
    public let line: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// Wraps a ``BaselineError`` about a configuration file as `.invalidConfiguration`.
    init(configuration error: BaselineError) {
        self.init(.invalidConfiguration, error.message, file: error.file, line: error.line)
    }

    /// `file:line: message`, or the message alone.
    public var description: String {
        switch (file, line) {
        case (let file?, let line?): return "\(file):\(line): \(message)"
        case (let file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
