/// The name of a platform profile, such as `cisco_ios` or `juniper_junos`.
///
/// Platforms are open: a user adds one by dropping a YAML profile into the profile directory,
/// so this is a string-backed struct rather than a closed enum.
public struct PlatformID: Hashable, Sendable, Codable, ExpressibleByStringLiteral, RawRepresentable,
    CustomStringConvertible, Comparable
{
    /// The profile's identifier, as written in `driftwatch.yaml` and in the profile's `id:` key.
    public var rawValue: String

    /// Creates an identifier from its string form.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates an identifier from its string form.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Creates an identifier from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The identifier itself.
    public var description: String { rawValue }

    /// Orders identifiers by their string form.
    public static func < (lhs: PlatformID, rhs: PlatformID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension PlatformID {
    /// Cisco IOS and IOS-XE.
    public static let ciscoIOS: PlatformID = "cisco_ios"
    /// Cisco NX-OS.
    public static let ciscoNXOS: PlatformID = "cisco_nxos"
    /// Cisco IOS-XR.
    public static let ciscoIOSXR: PlatformID = "cisco_iosxr"
    /// Arista EOS.
    public static let aristaEOS: PlatformID = "arista_eos"
    /// Juniper JunOS, curly-brace form (the `set` form is detected from the text).
    public static let juniperJunos: PlatformID = "juniper_junos"
    /// Juniper JunOS, `display set` form.
    public static let juniperJunosSet: PlatformID = "juniper_junos_set"
    /// Cisco ASA.
    public static let ciscoASA: PlatformID = "cisco_asa"
    /// Linux hosts: several files and command outputs, each a named section.
    public static let linux: PlatformID = "linux"
    /// Any text: no hierarchy, nothing platform-specific.
    public static let generic: PlatformID = "generic"
}
