/// An email (and webhook call) the alert lifecycle decided to send about one alert.
public enum AlertNotice: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first message about the alert.
    case opened
    /// The drift changed (or a security condition changed): the new facts.
    case updated
    /// Still open and not acknowledged after `reminder_after`.
    case reminded
    /// Resolved: reverted, a new baseline approved, or the device reachable again.
    case resolved
}

/// How an alert was resolved.
public struct AlertResolution: Sendable, Hashable, Codable {
    /// The kind of resolution.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The configuration is back to the baseline it drifted from.
        case reverted
        /// A new baseline version was approved that the configuration matches.
        case approved
        /// The condition ended (collections succeed again, host key trusted, verify passes).
        case recovered
    }

    /// The kind.
    public var kind: Kind
    /// The baseline version the configuration now matches, when known.
    public var version: Int?
    /// Who approved that version (``Kind/approved``).
    public var approver: String?
    /// Why it was approved (``Kind/approved``).
    public var reason: String?
    /// The change ticket of the approval, when given.
    public var ticket: String?

    /// Creates a resolution.
    public init(kind: Kind, version: Int? = nil, approver: String? = nil, reason: String? = nil, ticket: String? = nil)
    {
        self.kind = kind
        self.version = version
        self.approver = approver
        self.reason = reason
        self.ticket = ticket
    }
}
