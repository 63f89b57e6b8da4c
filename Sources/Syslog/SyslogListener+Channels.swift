import Foundation
import Logging
import NIOCore
import NIOPosix

extension SyslogListener {
    typealias UDPChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    typealias TCPConnection = NIOAsyncChannel<ByteBuffer, Never>
    typealias TCPServer = NIOAsyncChannel<AcceptedConnection, Never>

    /// An accepted connection with its sender's address, read when the connection is set up:
    /// NIO forgets a channel's addresses once it closes, and a device may connect, send one
    /// message and close before the serving task looks.
    struct AcceptedConnection: Sendable {
        let connection: TCPConnection
        let source: String
    }

    /// The bound sockets.
    struct Channels: Sendable {
        var udp: UDPChannel?
        var tcp: TCPServer?
    }

    func bind() async throws -> Channels {
        let group = MultiThreadedEventLoopGroup.singleton
        var channels = Channels()
        let receiveCapacity = max(1, configuration.maxMessageLength) + 1
        if configuration.udp {
            // No SO_REUSEADDR on UDP: on Linux it would let a second listener share the port.
            channels.udp = try await DatagramBootstrap(group: group)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveCapacity))
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try UDPChannel(wrappingChannelSynchronously: channel)
                    }
                }
        }
        if configuration.tcp {
            do {
                let udpPort = channels.udp?.channel.localAddress?.port
                let port = configuration.port == 0 ? (udpPort ?? 0) : configuration.port
                do {
                    channels.tcp = try await bindTCP(group: group, port: port)
                } catch  where configuration.port == 0 && port != 0 {
                    channels.tcp = try await bindTCP(group: group, port: 0)
                }
            } catch {
                try? await channels.udp?.channel.close()
                throw error
            }
        }
        return channels
    }

    func bindTCP(group: MultiThreadedEventLoopGroup, port: Int) async throws -> TCPServer {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .bind(host: configuration.host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let source = channel.remoteAddress.map(Self.address) ?? "unknown"
                    return AcceptedConnection(
                        connection: try TCPConnection(wrappingChannelSynchronously: channel), source: source)
                }
            }
    }

    func serveUDP(_ udp: UDPChannel) async throws {
        let limit = configuration.maxMessageLength
        try await udp.executeThenClose { inbound, _ in
            for try await envelope in inbound {
                let view = envelope.data.readableBytesView
                let truncated = view.count > limit
                await handle(
                    Array(view.prefix(limit)), truncated: truncated,
                    source: Self.address(envelope.remoteAddress))
            }
        }
    }

    func serveTCP(_ server: TCPServer) async throws {
        try await server.executeThenClose { connections, _ in
            try await withThrowingDiscardingTaskGroup { group in
                for try await accepted in connections {
                    let connection = accepted.connection
                    let admitted = state.withLock { state in
                        guard state.openConnections < configuration.maxTCPConnections else {
                            state.statistics.rejectedConnections += 1
                            return false
                        }
                        state.openConnections += 1
                        return true
                    }
                    guard admitted else {
                        logger.warning(
                            "syslog TCP connection refused: too many open",
                            metadata: [
                                "syslog.source": "\(accepted.source)",
                                "syslog.max_tcp_connections": "\(configuration.maxTCPConnections)",
                            ])
                        try? await connection.executeThenClose { _, _ in }
                        continue
                    }
                    group.addTask {
                        defer { self.state.withLock { $0.openConnections -= 1 } }
                        do {
                            try await self.serveConnection(connection, source: accepted.source)
                        } catch {
                            self.logger.debug(
                                "syslog TCP connection ended with an error", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }

    func serveConnection(_ connection: TCPConnection, source: String) async throws {
        let limit = configuration.maxMessageLength
        try await connection.executeThenClose { inbound, _ in
            var decoder = SyslogFrameDecoder(maxFrameLength: limit)
            for try await buffer in inbound {
                for frame in decoder.decode(buffer.readableBytesView) {
                    await handle(frame.bytes, truncated: frame.truncated, source: source)
                }
            }
            if let last = decoder.finish() {
                await handle(last.bytes, truncated: last.truncated, source: source)
            }
        }
    }

    /// One message: route, match, report.
    func handle(_ bytes: [UInt8], truncated: Bool, source: String) async {
        let message = SyslogMessage(parsing: bytes)
        state.withLock { state in
            state.statistics.received += 1
            if truncated { state.statistics.truncated += 1 }
        }
        guard let route = route(source, message.hostname) else {
            state.withLock { $0.statistics.unknownSender += 1 }
            logger.debug(
                "syslog message from an unknown sender dropped",
                metadata: ["syslog.source": "\(source)", "syslog.hostname": "\(message.hostname ?? "-")"])
            return
        }
        let matcher: ConfigChangeMatcher
        do {
            matcher = try ConfigChangeMatcher(patterns: route.patterns)
        } catch {
            state.withLock { $0.statistics.invalidPattern += 1 }
            logger.warning(
                "syslog message dropped: invalid config-change pattern",
                metadata: ["device.name": "\(route.device)", "error": "\(error)"])
            return
        }
        guard let pattern = matcher.firstMatch(in: message) else {
            state.withLock { $0.statistics.notConfigChange += 1 }
            logger.trace(
                "syslog message is not a config change",
                metadata: ["device.name": "\(route.device)", "syslog.message": "\(message.text)"])
            return
        }
        let user = message.configChangeUser
        state.withLock { $0.statistics.configChanges += 1 }
        logger.info(
            "configuration change reported over syslog",
            metadata: [
                "device.name": "\(route.device)", "syslog.source": "\(source)",
                "syslog.pattern": "\(pattern)", "syslog.user": "\(user ?? "-")",
            ])
        logger.debug(
            "syslog config-change message",
            metadata: ["device.name": "\(route.device)", "syslog.message": "\(message.text)"])
        await onConfigChange(
            ConfigChangeEvent(
                device: route.device, sourceAddress: source, user: user, pattern: pattern,
                message: message.text, receivedAt: Date()))
    }

    /// The sender's IP address as text; an IPv4-mapped IPv6 address is given as IPv4.
    static func address(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return "\(address)" }
        if ip.hasPrefix("::ffff:"), ip.dropFirst(7).allSatisfy({ $0.isNumber || $0 == "." }) {
            return String(ip.dropFirst(7))
        }
        return ip
    }
}
