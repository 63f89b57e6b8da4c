import Baselines
import ConfigDiff

/// A reviewed-but-not-yet-written approval: what will be written, and the diff against the
/// current version to show the approver. Nothing is on disk until ``BaselineWorkspace/commit(_:reason:ticket:expectedHead:)``.
public struct ApprovalPlan: Sendable {
    /// Baseline (device) or standard.
    public var kind: ApprovalRecord.Kind
    /// The device or standard name.
    public var subject: String
    /// The device's platform (baselines).
    public var platform: String?
    /// The approver, already authorized.
    public var approver: String
    /// The latest version now (0 when none).
    public var currentVersion: Int
    /// The content to approve (normalized, masked text; or the standard's YAML).
    public var content: String
    /// The diff against the current version, for the terminal; empty when unchanged.
    public var preview: String
    /// True when the content equals the current version's.
    public var unchanged: Bool
    /// Where the content comes from.
    public var source: ApprovalSource
    /// Full or partial.
    public var mode: BaselineMode
    /// Ignore rules to carry.
    public var ignore: [LinePredicate]
}
