import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Syslog

/// A bound that failed: the awaited thing did not happen in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `operation`, failing with ``TimedOut`` after `seconds` (a bound, not a synchronisation).
func withTimeout<T: Sendable>(
    _ seconds: Double, _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut(what: what) }
        return first
    }
}

/// Collects the events a listener reports, in order; `next(within:)` awaits the next one.
final class EventInbox: Sendable {
    struct State {
        var buffer: [ConfigChangeEvent] = []
        var waiter: CheckedContinuation<ConfigChangeEvent?, Never>?
    }
    let state = Mutex(State())

    func put(_ event: ConfigChangeEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<ConfigChangeEvent?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    var pending: [ConfigChangeEvent] { state.withLock { $0.buffer } }

    func next(within seconds: Double = 5) async throws -> ConfigChangeEvent {
        try await withTimeout(seconds, "a config-change event") {
            guard let event = await self.wait() else { throw CancellationError() }
            return event
        }
    }

    private func wait() async -> ConfigChangeEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ConfigChangeEvent?, Never>) in
                let ready: ConfigChangeEvent?? = state.withLock { state in
                    if !state.buffer.isEmpty { return .some(state.buffer.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

/// Sends syslog to a listener on loopback from a chosen local address, over real sockets.
enum SyslogSender {
    static func udp(_ messages: [String], to port: Int, from localHost: String = "127.0.0.1") async throws {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: localHost, port: 0).get()
        do {
            let remote = try SocketAddress(ipAddress: "127.0.0.1", port: port)
            for message in messages {
                let buffer = channel.allocator.buffer(string: message)
                try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer)).get()
            }
        } catch {
            try? await channel.close().get()
            throw error
        }
        try await channel.close().get()
    }

    static func tcpConnect(to port: Int, from localHost: String = "127.0.0.1") async throws -> Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(to: try SocketAddress(ipAddress: localHost, port: 0))
            .connect(host: "127.0.0.1", port: port).get()
    }

    static func write(_ bytes: String, on channel: Channel) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(string: bytes)).get()
    }
}

/// A route table keyed by source address, as the watcher builds from its inventory.
func routes(_ table: [String: SyslogRoute]) -> @Sendable (String, String?) -> SyslogRoute? {
    { source, _ in table[source] }
}

let iosPatterns = ["%SYS-5-CONFIG_I"]
let junosPatterns = [#"/\bUI_COMMIT\b/"#, "UI_COMMIT_COMPLETED"]
