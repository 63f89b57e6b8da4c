/// Tunables of the ``Collector`` that the configuration file does not set.
public struct CollectorOptions: Sendable, Hashable {
    /// Attempts per collection, the first included (transient failures only are retried).
    public var maxAttempts: Int
    /// The wait before the first retry; it doubles for each further retry.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maxBackoff: Duration
    /// Maximum bytes one command or file may return (a flooding device fails with `error`).
    public var outputLimit: Int

    /// Creates options: 3 attempts, 0.5 s then 1 s, at most 5 s, 16 MiB per command.
    public init(
        maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(5),
        outputLimit: Int = 16 << 20
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.outputLimit = outputLimit
    }

    /// The wait before attempt `attempt + 1` (after `attempt` failed attempts, 1-based).
    public func backoff(after attempt: Int) -> Duration {
        var wait = initialBackoff
        for _ in 1..<max(1, attempt) {
            wait = wait * 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }
}
