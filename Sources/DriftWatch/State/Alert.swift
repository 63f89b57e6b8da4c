import Foundation

/// An alert: at most one unresolved alert exists per device, kind and key.
public struct Alert: Sendable, Hashable {
    /// The row id; nil for an alert not stored yet.
    public var id: Int64?
    /// The device.
    public var device: String
    /// What it is about.
    public var kind: AlertKind
    /// What distinguishes it among the device's alerts of one kind (alerting's choice, such as a
    /// hash of the drift).
    public var key: String
    /// The lifecycle state.
    public var status: AlertStatus
    /// When it was opened.
    public var openedAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// Who acknowledged it.
    public var acknowledgedBy: String?
    /// When it was acknowledged.
    public var acknowledgedAt: Date?
    /// When it was resolved.
    public var resolvedAt: Date?
    /// When its last message was sent.
    public var lastNotifiedAt: Date?
    /// The `Message-ID` the alert's emails thread under; the store sets it to the first enqueued
    /// message's id when nil.
    public var messageIDRoot: String?
    /// Alerting's own data about the alert, as JSON text (masked only).
    public var details: String

    /// A new, open alert.
    public init(
        device: String, kind: AlertKind, key: String, openedAt: Date, messageIDRoot: String? = nil,
        details: String = "{}"
    ) {
        self.id = nil
        self.device = device
        self.kind = kind
        self.key = key
        self.status = .open
        self.openedAt = openedAt
        self.updatedAt = openedAt
        self.acknowledgedBy = nil
        self.acknowledgedAt = nil
        self.resolvedAt = nil
        self.lastNotifiedAt = nil
        self.messageIDRoot = messageIDRoot
        self.details = details
    }
}
