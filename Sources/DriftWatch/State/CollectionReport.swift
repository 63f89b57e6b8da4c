import Foundation

/// One finished collection, as the collector hands it to ``StateStore/recordCollection(_:deviceState:)``.
public struct CollectionReport: Sendable, Hashable {
    /// The device's inventory name.
    public var device: String
    /// When the collection started.
    public var startedAt: Date
    /// How long it took.
    public var duration: Duration
    /// What started it.
    public var trigger: CollectionTrigger
    /// How it ended.
    public var result: CollectionResult
    /// The error message, already masked (it is stored as given); nil on success.
    public var errorMessage: String?
    /// The user a syslog message named as the one who changed the configuration.
    public var changedBy: String?
    /// The captured configuration; present when ``result`` is `.ok`.
    public var content: SnapshotContent?

    /// Creates a report.
    public init(
        device: String, startedAt: Date, duration: Duration, trigger: CollectionTrigger, result: CollectionResult,
        errorMessage: String? = nil, changedBy: String? = nil, content: SnapshotContent? = nil
    ) {
        self.device = device
        self.startedAt = startedAt
        self.duration = duration
        self.trigger = trigger
        self.result = result
        self.errorMessage = errorMessage
        self.changedBy = changedBy
        self.content = content
    }
}
