import Foundation
import Logging
import ServiceLifecycle

/// Receives syslog over UDP and TCP (RFC 3164 and RFC 5424, TCP framed by octet counting or
/// new lines), finds config-change messages and reports them.
///
/// Placeholder API: completed by the syslog work.
public final class SyslogListener: Service, Sendable {
    /// Where to listen.
    public struct Configuration: Sendable, Hashable {
        /// Address to bind (`0.0.0.0`, `127.0.0.1`, `::`).
        public var host: String
        /// Port (0: any free port; see ``SyslogListener/boundPorts()``).
        public var port: Int
        /// Listen on UDP.
        public var udp: Bool
        /// Listen on TCP.
        public var tcp: Bool

        /// Creates a configuration.
        public init(host: String, port: Int, udp: Bool = true, tcp: Bool = true) {
            self.host = host
            self.port = port
            self.udp = udp
            self.tcp = tcp
        }
    }

    /// The settings.
    public let configuration: Configuration
    let route: @Sendable (_ sourceAddress: String, _ hostname: String?) -> SyslogRoute?
    let onConfigChange: @Sendable (ConfigChangeEvent) async -> Void
    let logger: Logger

    /// Creates a listener. `route` maps a sender (its address, and the HOSTNAME field when the
    /// message has one) to a device and its patterns, nil for an unknown sender (logged, dropped);
    /// `onConfigChange` is called for each matching message.
    public init(
        configuration: Configuration,
        route: @escaping @Sendable (_ sourceAddress: String, _ hostname: String?) -> SyslogRoute?,
        onConfigChange: @escaping @Sendable (ConfigChangeEvent) async -> Void,
        logger: Logger
    ) {
        self.configuration = configuration
        self.route = route
        self.onConfigChange = onConfigChange
        self.logger = logger
    }

    /// Binds and serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await gracefulShutdown()
    }

    /// The ports bound, once ``run()`` has bound them (waits until then).
    public func boundPorts() async throws -> (udp: Int?, tcp: Int?) {
        (nil, nil)
    }
}
