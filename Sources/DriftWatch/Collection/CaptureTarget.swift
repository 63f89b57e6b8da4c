import Foundation

/// Everything a ``DeviceTransport`` needs to reach one device: address, resolved credentials,
/// host-key settings and the time budget.
public struct CaptureTarget: Sendable {
    /// The device's inventory name.
    public var device: String
    /// The host name or address.
    public var host: String
    /// The SSH port.
    public var port: Int
    /// The credentials, resolved from their references (secrets in memory only).
    public var credentials: ResolvedCredentials
    /// The `known_hosts` file host keys are verified against.
    public var knownHostsPath: String
    /// Whether an unknown host key is refused (`true`) or trusted on first use.
    public var strictHostKeys: Bool
    /// Bounds connecting and each operation (`defaults.timeout`).
    public var timeout: Duration
    /// The device's hard time limit ends here: no new operation starts after it, and each
    /// operation's timeout is cut to what remains.
    public var deadline: ContinuousClock.Instant
    /// Maximum bytes one command or file may return.
    public var outputLimit: Int

    /// Creates a target.
    public init(
        device: String, host: String, port: Int, credentials: ResolvedCredentials, knownHostsPath: String,
        strictHostKeys: Bool, timeout: Duration, deadline: ContinuousClock.Instant, outputLimit: Int
    ) {
        self.device = device
        self.host = host
        self.port = port
        self.credentials = credentials
        self.knownHostsPath = knownHostsPath
        self.strictHostKeys = strictHostKeys
        self.timeout = timeout
        self.deadline = deadline
        self.outputLimit = outputLimit
    }

    /// The time left before ``deadline`` (zero when it has passed).
    public var remaining: Duration {
        let left = ContinuousClock.now.duration(to: deadline)
        return left > .zero ? left : .zero
    }
}
