import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Receives syslog over UDP and TCP (RFC 3164 and RFC 5424, TCP framed by octet counting or
/// new lines), finds config-change messages and reports them.
///
/// For every message: `route(source address, HOSTNAME)` names the device and its patterns (nil:
/// unknown sender, counted and dropped); a message whose text contains one of the patterns
/// becomes a ``ConfigChangeEvent`` passed to `onConfigChange`. Message text is logged only at
/// debug level.
///
/// A swift-service-lifecycle `Service`: ``run()`` binds, serves until graceful shutdown or
/// cancellation, then closes its sockets and returns.
public final class SyslogListener: Service, Sendable {
    /// Where to listen, and the bounds on what a sender can make the listener hold.
    public struct Configuration: Sendable, Hashable {
        /// Address to bind (`0.0.0.0`, `127.0.0.1`, `::`).
        public var host: String
        /// Port (0: any free port; see ``SyslogListener/boundPorts()``). With port 0 and both
        /// transports, TCP is bound to the port UDP got when it is free.
        public var port: Int
        /// Listen on UDP.
        public var udp: Bool
        /// Listen on TCP.
        public var tcp: Bool
        /// The longest message kept, in bytes; longer ones are truncated (UDP and TCP).
        public var maxMessageLength: Int
        /// The most TCP connections served at once; more are closed on arrival.
        public var maxTCPConnections: Int

        /// Creates a configuration.
        public init(
            host: String, port: Int, udp: Bool = true, tcp: Bool = true,
            maxMessageLength: Int = 8192, maxTCPConnections: Int = 256
        ) {
            self.host = host
            self.port = port
            self.udp = udp
            self.tcp = tcp
            self.maxMessageLength = maxMessageLength
            self.maxTCPConnections = maxTCPConnections
        }
    }

    /// Counts since the listener was created.
    public struct Statistics: Sendable, Hashable {
        /// Messages received (UDP datagrams and TCP frames).
        public var received = 0
        /// Messages cut at ``Configuration/maxMessageLength``.
        public var truncated = 0
        /// Messages from a sender `route` did not know (dropped).
        public var unknownSender = 0
        /// Messages from a known sender that matched no pattern.
        public var notConfigChange = 0
        /// Messages reported as configuration changes.
        public var configChanges = 0
        /// Messages dropped because a route's pattern is not a valid regular expression.
        public var invalidPattern = 0
        /// TCP connections closed on arrival because ``Configuration/maxTCPConnections`` were open.
        public var rejectedConnections = 0

        /// Creates zero counts.
        public init() {}
    }

    typealias Ports = (udp: Int?, tcp: Int?)

    enum Binding {
        case waiting
        case bound(Ports)
        case failed(SyslogError)
        case stopped
    }

    struct State {
        var binding = Binding.waiting
        var waiters: [Int: CheckedContinuation<Ports, any Error>] = [:]
        var nextWaiter = 0
        var statistics = Statistics()
        var openConnections = 0
    }

    /// The settings.
    public let configuration: Configuration
    let route: @Sendable (_ sourceAddress: String, _ hostname: String?) -> SyslogRoute?
    let onConfigChange: @Sendable (ConfigChangeEvent) async -> Void
    let logger: Logger
    let state = Mutex(State())

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

    /// The counts so far.
    public var statistics: Statistics {
        state.withLock { $0.statistics }
    }

    /// The ports bound, once ``run()`` has bound them (waits until then). Throws
    /// ``SyslogError/Code/bindFailed`` when binding failed, ``SyslogError/Code/notRunning``
    /// once ``run()`` has returned.
    public func boundPorts() async throws -> (udp: Int?, tcp: Int?) {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Ports, any Error>) in
                let now: Result<Ports, any Error>? = state.withLock { state in
                    switch state.binding {
                    case .bound(let ports): return .success(ports)
                    case .failed(let error): return .failure(error)
                    case .stopped: return .failure(self.notRunning)
                    case .waiting:
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state.waiters[id] = continuation
                        return nil
                    }
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    var notRunning: SyslogError {
        SyslogError(
            .notRunning,
            "syslog listener on \(configuration.host):\(configuration.port) is not running: run() has returned. Start it again (in the service group) before asking for its ports."
        )
    }

    func publish(_ binding: Binding) {
        let waiters = state.withLock { state in
            state.binding = binding
            let waiters = state.waiters.values
            state.waiters = [:]
            return Array(waiters)
        }
        for waiter in waiters {
            switch binding {
            case .bound(let ports): waiter.resume(returning: ports)
            case .failed(let error): waiter.resume(throwing: error)
            case .stopped: waiter.resume(throwing: notRunning)
            case .waiting: waiter.resume(throwing: CancellationError())
            }
        }
    }

    /// Binds and serves until graceful shutdown or cancellation; then closes its sockets and
    /// returns. Throws ``SyslogError/Code/bindFailed`` when it cannot bind.
    public func run() async throws {
        let channels: Channels
        do {
            channels = try await bind()
        } catch {
            let failure = SyslogError(
                .bindFailed,
                "syslog listener could not bind \(configuration.host):\(configuration.port) (\(error)). Check that no other process uses the port and that the address belongs to this host; ports below 1024 need privileges, so let devices send to a port such as 5514."
            )
            logger.error(
                "syslog listener could not bind",
                metadata: ["syslog.listen": "\(configuration.host):\(configuration.port)", "error": "\(error)"])
            publish(.failed(failure))
            throw failure
        }
        let udpPort: Int? = channels.udp?.channel.localAddress?.port
        let tcpPort: Int? = channels.tcp?.channel.localAddress?.port
        let udpText = udpPort.map { String($0) } ?? "-"
        let tcpText = tcpPort.map { String($0) } ?? "-"
        logger.info(
            "syslog listener bound",
            metadata: [
                "syslog.host": .string(configuration.host),
                "syslog.udp_port": .string(udpText),
                "syslog.tcp_port": .string(tcpText),
            ])
        publish(.bound((udp: udpPort, tcp: tcpPort)))
        defer { publish(.stopped) }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    if let udp = channels.udp {
                        group.addTask { try await self.serveUDP(udp) }
                    }
                    if let tcp = channels.tcp {
                        group.addTask { try await self.serveTCP(tcp) }
                    }
                    if channels.udp == nil, channels.tcp == nil {
                        group.addTask { try await gracefulShutdown() }
                    }
                }
            }
        } catch is CancellationError {
            // Shutdown: the channels are closed by executeThenClose.
        }
        logger.info("syslog listener stopped", metadata: ["syslog.host": "\(configuration.host)"])
    }
}
