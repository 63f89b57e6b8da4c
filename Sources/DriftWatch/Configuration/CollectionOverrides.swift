/// Overrides of ``CollectionDefaults`` for one group (`groups.<name>`) or one device (keys on a
/// `devices:` entry or an inventory file's row): every field is optional; nil keeps what applies
/// below it (device > groups > `defaults:`).
public struct CollectionOverrides: Sendable, Hashable {
    /// Time between two collections.
    public var interval: Duration?
    /// SSH connect and read timeout.
    public var timeout: Duration?
    /// Hard time limit for one collection.
    public var timeLimit: Duration?
    /// Groups only: at most this many collections of the group's devices at once.
    public var concurrency: Int?
    /// Host-key policy.
    public var hostKeyPolicy: CollectionDefaults.HostKeyPolicy?
    /// The line of the group's entry in `groups:` (nil for a device's overrides).
    public var line: Int?

    /// Creates overrides; nothing is overridden by default.
    public init(
        interval: Duration? = nil, timeout: Duration? = nil, timeLimit: Duration? = nil, concurrency: Int? = nil,
        hostKeyPolicy: CollectionDefaults.HostKeyPolicy? = nil, line: Int? = nil
    ) {
        self.interval = interval
        self.timeout = timeout
        self.timeLimit = timeLimit
        self.concurrency = concurrency
        self.hostKeyPolicy = hostKeyPolicy
        self.line = line
    }

    /// True when no setting is overridden.
    public var isEmpty: Bool {
        interval == nil && timeout == nil && timeLimit == nil && concurrency == nil && hostKeyPolicy == nil
    }

    /// `settings` with every non-nil field of these overrides applied (``concurrency`` is not
    /// applied: it is a per-group limit, see ``DriftWatchConfiguration/settings(for:)``).
    public func applied(to settings: CollectionDefaults) -> CollectionDefaults {
        var result = settings
        if let interval { result.interval = interval }
        if let timeout { result.timeout = timeout }
        if let timeLimit { result.timeLimit = timeLimit }
        if let hostKeyPolicy { result.hostKeyPolicy = hostKeyPolicy }
        return result
    }
}
