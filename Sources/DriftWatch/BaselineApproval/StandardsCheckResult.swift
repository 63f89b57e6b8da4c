import Baselines

/// The standards findings for one device (or file), with what was evaluated.
public struct StandardsCheckResult: Sendable {
    /// The device name, or the file path for `--file`.
    public var target: String
    /// What was evaluated: `baseline v3` or `file`.
    public var evaluated: String
    /// The standards applied, with their provenance (`ios-hardening (approved v2)`).
    public var standards: [String]
    /// The findings, in standard then rule order.
    public var findings: [StandardFinding]
    /// Why the target was not checked (no baseline yet), when it was not.
    public var skipped: String?
}
