/// What ``StateStore/recordCollection(_:deviceState:)`` stored.
public struct CollectionOutcome: Sendable, Hashable {
    /// The new collection run's id.
    public var runID: Int64
    /// The snapshot the run observed (new or bumped), for a successful run.
    public var snapshot: SnapshotInfo?
    /// True when the content differs from the device's previous snapshot (or it had none).
    public var isNewVersion: Bool
    /// True when the text was not stored before (for any device).
    public var isNewContent: Bool
    /// How many old collection runs of the device were deleted by the retention bound.
    public var prunedRuns: Int
}
