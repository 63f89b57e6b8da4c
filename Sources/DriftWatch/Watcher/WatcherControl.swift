import Foundation

/// What the HTTP endpoint (and tests) may ask of a running watcher.
///
/// The watcher implements it; ``WatcherHTTPServer`` serves it. Every method is safe to call
/// while collections run: none of them pauses the scheduler.
public protocol WatcherControl: Sendable {
    /// True once the configuration is loaded, the state store is open and the scheduler runs
    /// (`/readyz`).
    func isReady() async -> Bool

    /// Re-reads `driftwatch.yaml` (and its inventory files) without pausing collection; audited
    /// as `config.reload` by `requestedBy`. A configuration with errors is refused as a whole
    /// (the running one stays) with a ``DriftWatchError`` naming the file, line and key.
    func reload(requestedBy: String) async throws -> ReloadSummary

    /// Puts `device` at the front of the due-queue (debounced per device).
    /// - Throws: ``DriftWatchError`` `.unknownDevice` when it is not in the inventory.
    func trigger(device: String, reason: CollectionTrigger, user: String?) async throws

    /// The queue as it is now.
    func queueSnapshot() async -> QueueSnapshot

    /// The inventory as currently loaded, in inventory order.
    func inventory() async -> [DeviceEntry]
}

/// What a reload changed.
public struct ReloadSummary: Sendable, Hashable, Codable {
    /// Devices added to the inventory.
    public var added: [String]
    /// Devices removed from it.
    public var removed: [String]
    /// Devices whose entry (host, platform, groups, credentials, overrides) changed.
    public var changed: [String]
    /// Devices in the inventory after the reload.
    public var devices: Int

    /// Creates a summary.
    public init(added: [String] = [], removed: [String] = [], changed: [String] = [], devices: Int) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.devices = devices
    }
}

/// The scheduler's queue at one moment.
public struct QueueSnapshot: Sendable, Hashable, Codable {
    /// Devices waiting to be collected (due now, or triggered).
    public var due: Int
    /// Collections running now.
    public var inFlight: Int
    /// Devices scheduled in total.
    public var scheduled: Int
    /// When the next device falls due, if any.
    public var nextDueAt: Date?

    /// Creates a snapshot.
    public init(due: Int, inFlight: Int, scheduled: Int, nextDueAt: Date?) {
        self.due = due
        self.inFlight = inFlight
        self.scheduled = scheduled
        self.nextDueAt = nextDueAt
    }
}
