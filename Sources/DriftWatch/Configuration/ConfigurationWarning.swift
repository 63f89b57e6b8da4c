/// Something `driftwatch.yaml` says that is accepted but probably a mistake, with where it is
/// and what to do. The loader collects them in ``DriftWatchConfiguration/warnings``.
public struct ConfigurationWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file concerned.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// What is odd and what to do.
    public var message: String

    /// Creates a warning.
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: warning: message`.
    public var description: String {
        if let line { return "\(file):\(line): warning: \(message)" }
        return "\(file): warning: \(message)"
    }
}
