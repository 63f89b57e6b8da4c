/// What started a collection.
public enum CollectionTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// The device's interval elapsed.
    case poll
    /// The device reported a configuration change over syslog.
    case syslog
    /// `driftwatch collect DEVICE` or `check`.
    case manual
    /// A re-check right after a baseline approval.
    case approval
}
