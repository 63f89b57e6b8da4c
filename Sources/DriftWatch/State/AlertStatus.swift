/// Where an alert is in its lifecycle, as stored.
public enum AlertStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Open and not acknowledged: reminders go out.
    case open
    /// Acknowledged by someone: no reminders; still unresolved.
    case acknowledged
    /// Resolved (reverted, or a new baseline approved). A resolved alert is never reopened.
    case resolved
}
