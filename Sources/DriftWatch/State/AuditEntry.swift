import Foundation

/// An audit record to append: who did what to what. The store assigns the sequence number and
/// the hashes (see ``AuditRecord``).
public struct AuditEntry: Sendable, Hashable {
    /// Who did it.
    public var actor: String
    /// What: an ``AuditAction`` name (`baseline.approve`, `hostkey.trust`, `alert.ack`, …).
    public var action: String
    /// On what: a device, standard or alert.
    public var target: String
    /// Free key/value details (never a secret).
    public var details: [String: String]
    /// When.
    public var time: Date

    /// Creates an entry.
    public init(actor: String, action: String, target: String, details: [String: String] = [:], time: Date = Date()) {
        self.actor = actor
        self.action = action
        self.target = target
        self.details = details
        self.time = time
    }
}
