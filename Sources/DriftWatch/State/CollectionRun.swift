import Foundation

/// A stored collection run (the bounded history of attempts per device).
public struct CollectionRun: Sendable, Hashable {
    /// The run's id, increasing.
    public var id: Int64
    /// The device.
    public var device: String
    /// When the collection started.
    public var startedAt: Date
    /// How long it took, in milliseconds.
    public var durationMilliseconds: Int64
    /// What started it.
    public var trigger: CollectionTrigger
    /// How it ended.
    public var result: CollectionResult
    /// The masked error message.
    public var errorMessage: String?
    /// Who changed the configuration, when a syslog message said so.
    public var changedBy: String?
    /// The snapshot the run observed, for a successful run.
    public var snapshotID: Int64?
}
