import Baselines
import ConfigDiff

/// What a configuration looks like next to its device's latest approved baseline and the
/// standards that apply.
public struct DriftEvaluation: Sendable {
    /// `clean`, `drifted` or `unbaselined`.
    public var status: DeviceStatus
    /// The approved baseline version compared against; nil when there is none.
    public var baselineVersion: Int?
    /// Who approved that version.
    public var approvedBy: String?
    /// The changes from the baseline to the configuration (empty when clean or unbaselined).
    public var delta: ConfigDelta
    /// The commands that bring the device back to the baseline.
    public var remediation: [String]
    /// Violations of the approved standards that apply to the device.
    public var findings: [StandardFinding]
    /// What to do next, e.g. the approve command for an unbaselined device.
    public var hint: String?
}
