import Foundation

/// A device's current state: one row per device, replaced as a whole by the watcher.
public struct DeviceState: Sendable, Hashable {
    /// The device's inventory name.
    public var device: String
    /// The state.
    public var status: DeviceStatus
    /// Since when the device has been in ``status``.
    public var since: Date
    /// The last successful collection.
    public var lastSuccessAt: Date?
    /// The last collection attempt.
    public var lastAttemptAt: Date?
    /// The approved baseline version compared against.
    public var baselineVersion: Int?
    /// What drifted, when ``status`` is `.drifted`.
    public var drift: DriftSummary?
    /// Failed collections in a row.
    public var consecutiveFailures: Int
    /// Who changed the configuration, when a syslog message named them.
    public var changedBy: String?
    /// True while the device is inside a maintenance window.
    public var inMaintenance: Bool

    /// Creates a state.
    public init(
        device: String, status: DeviceStatus, since: Date, lastSuccessAt: Date? = nil, lastAttemptAt: Date? = nil,
        baselineVersion: Int? = nil, drift: DriftSummary? = nil, consecutiveFailures: Int = 0, changedBy: String? = nil,
        inMaintenance: Bool = false
    ) {
        self.device = device
        self.status = status
        self.since = since
        self.lastSuccessAt = lastSuccessAt
        self.lastAttemptAt = lastAttemptAt
        self.baselineVersion = baselineVersion
        self.drift = drift
        self.consecutiveFailures = consecutiveFailures
        self.changedBy = changedBy
        self.inMaintenance = inMaintenance
    }
}
