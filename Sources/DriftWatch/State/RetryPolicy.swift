/// Exponential backoff for outbox deliveries.
public struct RetryPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt, in seconds.
    public var initialDelaySeconds: Double
    /// The longest delay, in seconds.
    public var maximumDelaySeconds: Double
    /// After this many attempts a message is `failed` for good.
    public var maximumAttempts: Int

    /// Creates a policy; by default 30 s doubling up to 1 h, at most 50 attempts (about two days).
    public init(initialDelaySeconds: Double = 30, maximumDelaySeconds: Double = 3600, maximumAttempts: Int = 50) {
        self.initialDelaySeconds = initialDelaySeconds
        self.maximumDelaySeconds = maximumDelaySeconds
        self.maximumAttempts = maximumAttempts
    }

    /// The delay after `attempts` failed attempts (1 → initial, 2 → twice that, …), capped.
    public func delay(afterAttempts attempts: Int) -> Double {
        let exponent = min(max(attempts - 1, 0), 40)
        return min(maximumDelaySeconds, initialDelaySeconds * Double(1 << UInt64(exponent)))
    }
}
