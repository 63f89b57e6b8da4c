import ConfigDiff

/// What drifted, stored with a device's state as JSON.
public struct DriftSummary: Sendable, Hashable, Codable {
    /// Statements added against the baseline.
    public var added: Int
    /// Statements removed against the baseline.
    public var removed: Int
    /// Standards rules violated.
    public var standardsViolations: Int
    /// The snapshot that was compared.
    public var snapshotID: Int64?
    /// The delta against the baseline (masked text only).
    public var delta: ConfigDelta?

    /// Creates a summary.
    public init(
        added: Int = 0, removed: Int = 0, standardsViolations: Int = 0, snapshotID: Int64? = nil,
        delta: ConfigDelta? = nil
    ) {
        self.added = added
        self.removed = removed
        self.standardsViolations = standardsViolations
        self.snapshotID = snapshotID
        self.delta = delta
    }
}
