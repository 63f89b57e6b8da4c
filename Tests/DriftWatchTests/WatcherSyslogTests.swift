import DeviceLab
import Foundation
import Logging
import Prometheus
import Testing

@testable import DriftWatch

/// Syslog triggers through the watcher's real listener (UDP on loopback): a config-change
/// message gets its device collected and drifted within 5 s with the user it names recorded
/// (IOS RFC 3164, JunOS RFC 5424), a burst is one collection, and a message naming no known
/// device (all lab devices share 127.0.0.1, so HOSTNAME picks) triggers nothing. The interval is
/// long, so every collection after the first round comes from a trigger.
///
/// Timing-sensitive: run it in the timing-sensitive pass.
@Suite(.tags(.lab), .serialized) struct WatcherSyslogTests {
    @Test func configChangeMessagesTriggerCollectionWithTheUser() async throws {
        let specs = [
            LabDeviceSpec("s-ios1", platform: .ciscoIOS), LabDeviceSpec("s-jun1", platform: .junos),
            LabDeviceSpec("s-eos1", platform: .aristaEOS), LabDeviceSpec("s-ios2", platform: .ciscoIOS),
        ]
        try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in try await Self.scenario(lab) }
    }

    static func scenario(_ lab: DeviceLab) async throws {
        let names = lab.devices.map(\.name)
        let port = try WatcherWorld.freePort()
        let world = try WatcherWorld.make(
            lab: lab, entries: WatcherWorld.entries(lab), interval: "10m", timeout: "4s", timeLimit: "10s",
            syslogPort: port)
        defer { world.remove() }
        let context = try world.context()
        let noLog = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let oneShot = try context.driftCheck(environment: world.environment, logger: noLog)
        let first = await oneShot.run(context.configuration.devices)
        #expect(first.devices.allSatisfy { $0.collection == .ok }, "\(first.devices.map(\.message))")
        try await world.approveLatest(names, store: context.store, baselines: context.baselines)

        let registry = PrometheusCollectorRegistry()
        let watcher = try buildWatcher(
            configPath: world.configPath, catalog: world.catalog,
            options: WatcherOptions(firstRoundWindow: .milliseconds(500)), registry: registry,
            environment: world.environment, logger: noLog)
        let store = watcher.store
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }
            let ports = try await watcher.syslogPorts()
            #expect(ports?.udp == port)
            let firstRound = try await WatcherWorld.waitFor(.seconds(20)) {
                let states = try await store.deviceStates()
                return states.count == names.count
                    && states.allSatisfy { $0.status == .clean && ($0.lastAttemptAt ?? .distantPast) > started }
            }
            #expect(firstRound != nil)

            // IOS, RFC 3164: "Configured from console by alice on vty0".
            try lab.setConfig(
                device: "s-ios1",
                try lab.config(device: "s-ios1").replacingOccurrences(of: "ip ssh version 2", with: "ip ssh version 1"))
            try WatcherWorld.sendUDP(
                "<189>Nov 23 10:00:00 s-ios1 4711: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
                port: port)
            let iosDrift = try await WatcherWorld.waitFor(.seconds(8)) {
                let state = try await store.deviceState(device: "s-ios1")
                return state?.status == .drifted && state?.changedBy == "alice"
            }
            #expect(iosDrift != nil && iosDrift! <= .seconds(5), "s-ios1 after \(String(describing: iosDrift))")
            print("watcher: syslog to drifted in \(iosDrift.map { "\($0)" } ?? "never")")
            let iosRun = try await store.collectionRuns(device: "s-ios1", limit: 1).first
            #expect(iosRun?.trigger == .syslog && iosRun?.changedBy == "alice", "\(String(describing: iosRun))")

            // JunOS, RFC 5424: "User 'bob' requested 'commit' operation".
            try lab.setConfig(
                device: "s-jun1",
                try lab.config(device: "s-jun1").replacingOccurrences(of: "root-login deny", with: "root-login allow"))
            try WatcherWorld.sendUDP(
                "<189>1 2026-11-23T10:00:00.000Z s-jun1 mgd 4242 UI_COMMIT - UI_COMMIT: User 'bob' requested 'commit' operation (comment: none)",
                port: port)
            let junosDrift = try await WatcherWorld.waitFor(.seconds(8)) {
                let state = try await store.deviceState(device: "s-jun1")
                return state?.status == .drifted && state?.changedBy == "bob"
            }
            #expect(junosDrift != nil && junosDrift! <= .seconds(5), "s-jun1 after \(String(describing: junosDrift))")

            // A burst for s-eos1 is one collection; a message naming no device triggers nothing.
            let burstAt = Date()
            for _ in 0..<5 {
                try WatcherWorld.sendUDP("<189>Nov 23 10:00:01 s-eos1 Ebra: %SYS-5-CONFIG_I: Configured from console by carol on vty1", port: port)
                try await Task.sleep(for: .milliseconds(150))
            }
            try WatcherWorld.sendUDP("<189>Nov 23 10:00:01 nosuch-host x: %SYS-5-CONFIG_I: Configured from console by eve on vty1", port: port)
            try await Task.sleep(for: .seconds(5))
            let eosRuns = try await store.collectionRuns(device: "s-eos1", limit: 10).filter { $0.startedAt > burstAt }
            #expect(eosRuns.count == 1 && eosRuns.first?.trigger == .syslog, "\(eosRuns)")
            #expect(try await store.deviceState(device: "s-eos1")?.status == .clean)
            let ios2Runs = try await store.collectionRuns(device: "s-ios2", limit: 10).filter { $0.startedAt > burstAt }
            #expect(ios2Runs.isEmpty)
            #expect(registry.emitToString().contains("driftwatch_syslog_triggers_total 7"))

            await watcher.shutdown()
            try await group.waitForAll()
        }
    }
}
