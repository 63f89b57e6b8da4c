/// Which devices a standard applies to (`applies_to` in the YAML).
///
/// A device is selected when its platform is listed (or no platforms are listed) **and** it is
/// in at least one listed group (or no groups are listed).
public struct StandardSelector: Sendable, Hashable {
    /// Device groups; empty means every group.
    public var groups: [String]
    /// Platform ids (`cisco_ios`, `linux`, …); empty means every platform.
    public var platforms: [String]

    /// Creates a selector.
    public init(groups: [String] = [], platforms: [String] = []) {
        self.groups = groups
        self.platforms = platforms
    }

    /// True when a device of `platform` in `groups` is selected.
    public func applies(platform: String, groups deviceGroups: [String]) -> Bool {
        (platforms.isEmpty || platforms.contains(platform))
            && (groups.isEmpty || groups.contains(where: deviceGroups.contains))
    }
}
