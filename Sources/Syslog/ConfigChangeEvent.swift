import Foundation

/// A device said "my configuration changed" over syslog.
public struct ConfigChangeEvent: Sendable, Hashable {
    /// The device the source address (or the message's hostname) maps to.
    public var device: String
    /// The sender's IP address.
    public var sourceAddress: String
    /// Who changed it, when the message names them (`by alice on vty0`, `User 'alice'`).
    public var user: String?
    /// The pattern that matched (`%SYS-5-CONFIG_I`, `UI_COMMIT_COMPLETED`, …).
    public var pattern: String
    /// The message text (the MSG part), as received.
    public var message: String
    /// When it was received.
    public var receivedAt: Date

    /// Creates an event.
    public init(
        device: String, sourceAddress: String, user: String?, pattern: String, message: String, receivedAt: Date
    ) {
        self.device = device
        self.sourceAddress = sourceAddress
        self.user = user
        self.pattern = pattern
        self.message = message
        self.receivedAt = receivedAt
    }
}
