/// A message's delivery state.
public enum OutboxStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting to be sent, or to be retried at its next attempt time.
    case pending
    /// Delivered.
    case sent
    /// Given up: a permanent failure (SMTP 5xx) or too many attempts.
    case failed
}
