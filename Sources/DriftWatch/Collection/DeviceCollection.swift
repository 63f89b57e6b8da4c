import ConfigDiff
import Foundation

/// The outcome of collecting one device: its result, an actionable message when it failed,
/// and the normalized, masked configuration and stored snapshot when it succeeded.
public struct DeviceCollection: Sendable {
    /// The device's inventory name.
    public var device: String
    /// The device's platform id.
    public var platform: String
    /// When the collection started (wall clock).
    public var startedAt: Date
    /// How long it took, retries included.
    public var duration: Duration
    /// How it ended.
    public var result: CollectionResult
    /// What failed and what to do (no secret, no configuration text); nil on success.
    public var message: String?
    /// How many attempts were made.
    public var attempts: Int
    /// The normalized, masked configuration, on success.
    public var normalized: NormalizedConfig?
    /// The stored snapshot, on success once recorded.
    public var snapshot: SnapshotInfo?
    /// True when the stored snapshot is a new version of the device's configuration.
    public var isNewVersion = false
    /// The stored collection run's id, once recorded.
    public var runID: Int64?
    /// The fingerprint `known_hosts` holds, for `host_key_changed`.
    public var expectedFingerprint: String?
    /// The fingerprint the device presented, for host-key failures.
    public var presentedFingerprint: String?
}
