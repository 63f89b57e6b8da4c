import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import Syslog

let iosChange =
    "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)"
let junosCommit =
    "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"carol\" command=\"commit\"] User 'carol' requested 'commit' operation (comment: none)"
let junosCompleted = "<189>Nov 23 10:00:02 r1 mgd[1234]: UI_COMMIT_COMPLETED: commit complete"

/// Runs a listener on 127.0.0.1 (free ports) for the body, then cancels it and waits for run()
/// to return.
func withListener(
    _ configuration: SyslogListener.Configuration = .init(host: "127.0.0.1", port: 0),
    route: @escaping @Sendable (String, String?) -> SyslogRoute?,
    logger: Logger = Logger(label: "syslog-test"),
    _ body: (SyslogListener, (udp: Int?, tcp: Int?), EventInbox) async throws -> Void
) async throws {
    let inbox = EventInbox()
    let listener = SyslogListener(
        configuration: configuration, route: route, onConfigChange: { inbox.put($0) }, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await listener.run() }
        do {
            let ports = try await withTimeout(10, "the listener to bind") { try await listener.boundPorts() }
            try await body(listener, ports, inbox)
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
        try await group.waitForAll()
    }
}

func capturingLogger() -> (Logger, InMemoryLogHandler) {
    let handler = InMemoryLogHandler()
    var logger = Logger(label: "syslog-test") { _ in handler }
    logger.logLevel = .trace
    return (logger, handler)
}

@Suite(.timeLimit(.minutes(1)))
struct SyslogListenerTests {
    @Test func udpConfigChangeBecomesAnEventWithDeviceAndUser() async throws {
        let (logger, logs) = capturingLogger()
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table), logger: logger) { listener, ports, inbox in
            let udp = try #require(ports.udp)
            try await SyslogSender.udp([iosChange], to: udp)
            let event = try await inbox.next()
            #expect(event.device == "core-rtr-01")
            #expect(event.sourceAddress == "127.0.0.1")
            #expect(event.user == "alice")
            #expect(event.pattern == "%SYS-5-CONFIG_I")
            #expect(event.message == "%SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)")
            #expect(abs(event.receivedAt.timeIntervalSinceNow) < 60)
            #expect(listener.statistics.configChanges == 1)
        }
        // Device text only at debug and below; the change itself is announced at info.
        #expect(logs.entries.contains { $0.level == .info && $0.metadata["syslog.user"] == "alice" })
        for entry in logs.entries where entry.level > .debug {
            #expect(!"\(entry.message) \(entry.metadata)".contains("Configured from"))
        }
    }

    @Test func tcpOctetCountedMessagesInOneSegment() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "edge-mx-01", patterns: junosPatterns)]
        try await withListener(route: routes(table)) { _, ports, inbox in
            let channel = try await SyslogSender.tcpConnect(to: try #require(ports.tcp))
            try await SyslogSender.write(octetCounted(junosCommit) + octetCounted(junosCompleted), on: channel)
            let commit = try await inbox.next()
            let completed = try await inbox.next()
            #expect(commit.device == "edge-mx-01")
            #expect(commit.user == "carol")
            #expect(commit.pattern == #"/\bUI_COMMIT\b/"#)
            #expect(completed.user == nil)
            #expect(completed.pattern == "UI_COMMIT_COMPLETED")
            try await channel.close().get()
        }
    }

    @Test func tcpLineFramedMessageSplitAcrossSegments() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table)) { _, ports, inbox in
            let channel = try await SyslogSender.tcpConnect(to: try #require(ports.tcp))
            let second = iosChange.replacingOccurrences(of: "alice", with: "bob")
            let cut = second.index(second.startIndex, offsetBy: 40)
            // The first message and the head of the second in one segment …
            try await SyslogSender.write(iosChange + "\n" + String(second[..<cut]), on: channel)
            #expect(try await inbox.next().user == "alice")
            // … the listener has read that segment; only now does the tail go out.
            #expect(inbox.pending.isEmpty)
            try await SyslogSender.write(String(second[cut...]) + "\r\n", on: channel)
            let event = try await inbox.next()
            #expect(event.user == "bob")
            #expect(event.message.hasPrefix("%SYS-5-CONFIG_I: Configured from console by bob"))
            try await channel.close().get()
        }
    }

    @Test func lastLineWithoutNewLineIsTakenWhenTheConnectionCloses() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table)) { _, ports, inbox in
            let channel = try await SyslogSender.tcpConnect(to: try #require(ports.tcp))
            try await SyslogSender.write(iosChange, on: channel)
            try await channel.close().get()
            #expect(try await inbox.next().user == "alice")
        }
    }

    @Test func unknownSenderIsCountedLoggedAndDropped() async throws {
        let (logger, logs) = capturingLogger()
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table), logger: logger) { listener, ports, inbox in
            let udp = try #require(ports.udp)
            try await SyslogSender.udp([iosChange], to: udp, from: "127.0.0.2")
            let sentinel = iosChange.replacingOccurrences(of: "alice", with: "sentinel")
            try await SyslogSender.udp([sentinel], to: udp, from: "127.0.0.1")
            let event = try await inbox.next()
            #expect(event.user == "sentinel")
            #expect(listener.statistics.unknownSender == 1)
            #expect(inbox.pending.isEmpty)
        }
        #expect(
            logs.entries.contains {
                $0.level == .debug && $0.metadata["syslog.source"] == "127.0.0.2"
            })
    }

    @Test func routeReceivesTheHostnameField() async throws {
        let route: @Sendable (String, String?) -> SyslogRoute? = { _, hostname in
            hostname == "eos1" ? SyslogRoute(device: "leaf-eos-1", patterns: ["%SYS-5-CONFIG_I"]) : nil
        }
        try await withListener(route: route) { _, ports, inbox in
            try await SyslogSender.udp(
                [
                    "<189>Nov 23 10:00:00 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)"
                ],
                to: try #require(ports.udp))
            let event = try await inbox.next()
            #expect(event.device == "leaf-eos-1")
            #expect(event.user == "admin")
        }
    }

    @Test func nonMatchingMessageGivesNoEvent() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table)) { listener, ports, inbox in
            let udp = try #require(ports.udp)
            try await SyslogSender.udp(
                [
                    "<187>58: *Nov 23 10:00:00.123 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up",
                    iosChange,
                ], to: udp)
            let event = try await inbox.next()
            #expect(event.user == "alice")
            #expect(listener.statistics.notConfigChange == 1)
            #expect(listener.statistics.received == 2)
        }
    }

    @Test func oversizedDatagramIsTruncated() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        let configuration = SyslogListener.Configuration(host: "127.0.0.1", port: 0, maxMessageLength: 200)
        try await withListener(configuration, route: routes(table)) { listener, ports, inbox in
            let huge = iosChange + String(repeating: " padding", count: 1000)
            try await SyslogSender.udp([huge], to: try #require(ports.udp))
            let event = try await inbox.next()
            #expect(event.user == "alice")
            #expect(event.message.utf8.count < 200)
            #expect(listener.statistics.truncated == 1)
        }
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        let configuration = SyslogListener.Configuration(host: "127.0.0.1", port: 0, maxTCPConnections: 1)
        try await withListener(configuration, route: routes(table)) { listener, ports, inbox in
            let tcp = try #require(ports.tcp)
            let first = try await SyslogSender.tcpConnect(to: tcp)
            try await SyslogSender.write(iosChange + "\n", on: first)
            _ = try await inbox.next()  // the first connection is being served
            let second = try await SyslogSender.tcpConnect(to: tcp)
            let closed = second.closeFuture
            try await withTimeout(5, "the listener to close the connection over the limit") {
                try await closed.get()
            }
            #expect(listener.statistics.rejectedConnections == 1)
            try await first.close().get()
        }
    }

    @Test func gracefulShutdownEndsRunAndFreesThePorts() async throws {
        let inbox = EventInbox()
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        let listener = SyslogListener(
            configuration: .init(host: "127.0.0.1", port: 0), route: routes(table),
            onConfigChange: { inbox.put($0) }, logger: Logger(label: "syslog-test"))
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [listener], logger: Logger(label: "syslog-test")))
        let ports = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serviceGroup.run() }
            let ports = try await withTimeout(10, "the listener to bind") { try await listener.boundPorts() }
            let tcp = try await SyslogSender.tcpConnect(to: try #require(ports.tcp))
            try await SyslogSender.write(iosChange + "\n", on: tcp)
            _ = try await inbox.next()
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()  // run() returned: the service group finished
            try? await tcp.close().get()
            return ports
        }
        #expect(ports.udp == ports.tcp)  // port 0 with both transports: one port number
        await #expect(throws: SyslogError.self) { try await listener.boundPorts() }
        // The ports are free again: plain binds (UDP without SO_REUSEADDR) succeed.
        let udp = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: try #require(ports.udp)).get()
        try await udp.close().get()
        let tcp = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: try #require(ports.tcp)).get()
        try await tcp.close().get()
    }

    @Test func aPortInUseIsABindError() async throws {
        let table = ["127.0.0.1": SyslogRoute(device: "core-rtr-01", patterns: iosPatterns)]
        try await withListener(route: routes(table)) { _, ports, _ in
            let second = SyslogListener(
                configuration: .init(host: "127.0.0.1", port: try #require(ports.udp)), route: routes(table),
                onConfigChange: { _ in }, logger: Logger(label: "syslog-test"))
            await #expect {
                try await second.run()
            } throws: { error in
                (error as? SyslogError)?.code == .bindFailed
            }
            await #expect {
                _ = try await second.boundPorts()
            } throws: { error in
                (error as? SyslogError)?.code == .bindFailed
            }
        }
    }
}
