/// What to do with a host key that `known_hosts` does not hold yet.
public enum HostKeyPolicy: String, Sendable, Hashable {
    /// Refuse unknown and changed keys (the default).
    case strict
    /// Trust an unknown host on first use and append its key; still refuse a changed key.
    case acceptNew
}

/// Connection settings for one session.
public struct SSHOptions: Sendable {
    /// Bounds TCP connect, SSH handshake and authentication together. Default 10 s.
    public var connectTimeout: Duration
    /// Bounds each operation (`exec`, one shell command, an SFTP read, closing). Default 30 s.
    public var operationTimeout: Duration
    /// Interval of SSH keepalive messages while an operation waits for the server; `nil` for none.
    public var keepaliveInterval: Duration?
    /// Maximum bytes one operation may return (stdout and stderr together). Default 64 MiB.
    public var outputLimit: Int
    /// The `known_hosts` file that host keys are verified against. Required: host keys are always verified.
    public var knownHosts: KnownHosts
    /// Unknown host keys: refuse (`.strict`, default) or trust on first use (`.acceptNew`).
    public var hostKeyPolicy: HostKeyPolicy
    /// Host-key algorithms to offer, overriding the default order (which puts the key types
    /// `known_hosts` holds for the host first). For old devices, e.g. `["ssh-rsa", "ssh-dss"]`.
    public var hostKeyAlgorithms: [String]?
    /// Key-exchange algorithms to offer instead of libssh2's defaults, e.g.
    /// `["diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"]` for old devices.
    public var kexAlgorithms: [String]?
    /// Ciphers to offer instead of libssh2's defaults, e.g. `["aes128-cbc", "3des-cbc"]`.
    public var ciphers: [String]?
    /// A debugging record of what was sent and received; secrets sent are written as `<redacted>`.
    public var transcript: SSHTranscript?

    /// Makes options; only `knownHosts` has no default.
    public init(
        knownHosts: KnownHosts, hostKeyPolicy: HostKeyPolicy = .strict,
        connectTimeout: Duration = .seconds(10), operationTimeout: Duration = .seconds(30),
        keepaliveInterval: Duration? = .seconds(30), outputLimit: Int = 64 << 20,
        hostKeyAlgorithms: [String]? = nil, kexAlgorithms: [String]? = nil, ciphers: [String]? = nil,
        transcript: SSHTranscript? = nil
    ) {
        self.knownHosts = knownHosts
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.keepaliveInterval = keepaliveInterval
        self.outputLimit = outputLimit
        self.hostKeyAlgorithms = hostKeyAlgorithms
        self.kexAlgorithms = kexAlgorithms
        self.ciphers = ciphers
        self.transcript = transcript
    }
}
