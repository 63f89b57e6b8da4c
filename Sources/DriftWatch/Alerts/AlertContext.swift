/// What an email says about the device and its baseline besides the alert itself: gathered by
/// ``AlertCenter`` from the inventory and the baseline store before the alert is written.
public struct AlertContext: Sendable, Hashable {
    /// The device's platform id, when the device is in the inventory.
    public var platform: String?
    /// The device's groups.
    public var groups: [String]
    /// The approval of the baseline version the drift is measured against.
    public var baseline: BaselineFacts?

    /// Creates a context.
    public init(platform: String? = nil, groups: [String] = [], baseline: BaselineFacts? = nil) {
        self.platform = platform
        self.groups = groups
        self.baseline = baseline
    }
}

/// Who approved a baseline version, when and why.
public struct BaselineFacts: Sendable, Hashable, Codable {
    /// The version.
    public var version: Int
    /// The approver.
    public var approver: String
    /// When (ISO 8601, as recorded).
    public var approvedAt: String
    /// Why.
    public var reason: String
    /// The change ticket, when given.
    public var ticket: String?

    /// Creates facts.
    public init(version: Int, approver: String, approvedAt: String, reason: String, ticket: String? = nil) {
        self.version = version
        self.approver = approver
        self.approvedAt = approvedAt
        self.reason = reason
        self.ticket = ticket
    }
}
