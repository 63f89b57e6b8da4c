/// How a collection ended.
public enum CollectionResult: String, Sendable, Hashable, Codable, CaseIterable {
    /// The configuration was captured, normalized and stored.
    case ok
    /// The device could not be reached (connection refused, no route).
    case unreachable
    /// The device refused the credentials.
    case authFailed = "auth_failed"
    /// The device's host key differs from the trusted one.
    case hostKeyChanged = "host_key_changed"
    /// The device's host key is not trusted yet (policy `strict`).
    case hostKeyUnknown = "host_key_unknown"
    /// A step exceeded its timeout or the device's time limit.
    case timeout
    /// The capture looked truncated and was rejected.
    case incomplete
    /// Any other failure.
    case error
}
