/// A snapshot with its text.
public struct StoredSnapshot: Sendable, Hashable {
    /// The observation.
    public var info: SnapshotInfo
    /// The normalized, masked text.
    public var content: SnapshotContent
}
