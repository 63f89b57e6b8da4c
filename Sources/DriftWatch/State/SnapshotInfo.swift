import Foundation

/// One observed version of a device's configuration (a row of `snapshots`, without the text).
///
/// Consecutive identical collections of a device share one row: its ``lastSeenAt`` and
/// ``seenCount`` grow, and each collection still adds a (bounded) ``CollectionRun``. A device
/// that goes A → B → A has three rows and two stored texts.
public struct SnapshotInfo: Sendable, Hashable {
    /// The snapshot id (`driftwatch diff --snapshot ID`, `baseline approve --snapshot ID`).
    public var id: Int64
    /// The device.
    public var device: String
    /// The content address: SHA-256 of the normalized, masked text.
    public var sha256: String
    /// When this version was first collected.
    public var collectedAt: Date
    /// When it was last collected unchanged.
    public var lastSeenAt: Date
    /// How many collections saw it in a row.
    public var seenCount: Int
    /// What triggered the first collection of this version.
    public var trigger: CollectionTrigger
    /// The text's size in bytes.
    public var size: Int
    /// Who changed the configuration, when a syslog message named them.
    public var changedBy: String?
}
