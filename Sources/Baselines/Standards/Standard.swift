/// A technical standard: a named, versioned set of rules for the devices its selector picks.
///
/// Written as YAML under `baselines/standards/<name>.yaml` (see <doc:WritingStandards>):
///
/// ```yaml
/// name: ios-hardening
/// version: "2026.1"
/// description: Management-plane hardening for IOS and IOS-XE.
/// applies_to: { platforms: [cisco_ios], groups: [] }
/// rules:
///   - id: IOS-MGMT-001
///     description: The HTTP server is disabled.
///     severity: high
///     forbid: ["ip http server"]
///     source: "Cisco Guide to Harden Cisco IOS Devices, Disable Unused Services"
/// ```
public struct Standard: Sendable, Hashable {
    /// The name; equals the file name without `.yaml`.
    public var name: String
    /// The author's version label (free text, e.g. `2026.1`); approvals number versions separately.
    public var version: String
    /// What the standard is for.
    public var description: String
    /// Which devices it applies to.
    public var appliesTo: StandardSelector
    /// The rules, in file order.
    public var rules: [StandardRule]

    /// Creates a standard.
    public init(name: String, version: String, description: String, appliesTo: StandardSelector, rules: [StandardRule])
    {
        self.name = name
        self.version = version
        self.description = description
        self.appliesTo = appliesTo
        self.rules = rules
    }
}
