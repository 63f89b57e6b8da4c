/// A device's drift state, as `driftwatch status` shows it.
public enum DeviceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The configuration matches the approved baseline and the standards.
    case clean
    /// The configuration deviates from its baseline or a standard.
    case drifted
    /// No baseline approved yet: approve one.
    case unbaselined
    /// The last collections failed.
    case unreachable
    /// No good collection for 3 intervals.
    case stale
    /// The device presented a different host key.
    case hostKeyChanged = "host-key-changed"
    /// The device's host key is not trusted yet.
    case hostKeyUnknown = "host-key-unknown"
}
