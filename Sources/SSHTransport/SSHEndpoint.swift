/// Where to connect: a host name or an IPv4/IPv6 literal, and a TCP port.
public struct SSHEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A DNS name, an IPv4 literal (`192.0.2.10`) or an IPv6 literal without brackets (`::1`).
    public var host: String
    /// The TCP port, 22 by default.
    public var port: Int

    /// Makes an endpoint. Brackets around an IPv6 literal (`[::1]`) are removed.
    public init(host: String, port: Int = 22) {
        var host = host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 literal (`[::1]:2222`).
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
