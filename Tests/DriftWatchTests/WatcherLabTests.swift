import ConfigDiff
import DeviceLab
import Foundation
import Logging
import Prometheus
import Testing

@testable import DriftWatch

/// The watcher in process (``buildWatcher(configPath:catalog:transport:options:registry:extraServices:environment:logger:)``)
/// on a real sshd lab of 21 good devices (IOS, EOS, JunOS curly and `display set`, a Linux
/// host) and five failing ones (hang, flood, refused auth, changed host key, nothing listening):
/// approved baselines, edits turning drifted within one interval, volatile-only edits staying
/// clean, faults isolated in their states with clear errors while the others keep their
/// schedule, stale detection, control requests, reload (good and refused), no canary in the
/// database or the debug log.
///
/// Timing-sensitive: run it in the timing-sensitive pass.
@Suite(.tags(.lab), .serialized) struct WatcherLabTests {
    static let interval = 6.0
    static let ios = (1...6).map { "ios\($0)" }
    static let eos = (1...5).map { "eos\($0)" }
    static let junos = (1...5).map { "jun\($0)" }
    static let junosSet = (1...4).map { "jset\($0)" }
    static let good = ios + eos + junos + junosSet + ["host1"]
    static let canaries = ["CANARY-W-IOS-71c2", "CANARY-W-EOS-0b9e", "CANARY-W-JUN-5d1a", "CANARY-W-SET-22f0", "CANARY-W-LNX-9a4b"]

    @Test func watchesTwentyDevicesThroughChangesAndFaults() async throws {
        var specs = Self.ios.map { LabDeviceSpec($0, platform: .ciscoIOS) }
        specs += Self.eos.map { LabDeviceSpec($0, platform: .aristaEOS) }
        specs += (Self.junos + Self.junosSet).map { LabDeviceSpec($0, platform: .junos) }
        specs.append(LabDeviceSpec("host1", platform: .linux))
        specs += [
            LabDeviceSpec("hang1", platform: .ciscoIOS), LabDeviceSpec("flood1", platform: .aristaEOS),
            LabDeviceSpec("auth1", platform: .ciscoIOS), LabDeviceSpec("hk1", platform: .aristaEOS),
        ]
        try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in try await Self.scenario(lab) }
    }

    static func scenario(_ lab: DeviceLab) async throws {
        try lab.setConfig(
            device: "ios1",
            try lab.config(device: "ios1").replacingOccurrences(of: "s3cr3t-ro", with: "CANARY-W-IOS-71c2"))
        try lab.setConfig(
            device: "eos1",
            try lab.config(device: "eos1").replacingOccurrences(of: "secret sha512 $6$x$y", with: "secret 0 CANARY-W-EOS-0b9e"))
        try lab.setConfig(
            device: "jun1", try lab.config(device: "jun1").replacingOccurrences(of: "$6$abc$def", with: "CANARY-W-JUN-5d1a"))
        try lab.setDisplaySetConfig(
            device: "jset1",
            try lab.displaySetConfig(device: "jset1").replacingOccurrences(of: "$6$abc$def", with: "CANARY-W-SET-22f0"))
        try lab.writeFile(device: "host1", path: "etc/ssh/sshd_config", contents: "PermitRootLogin no\nX11Forwarding no\n")
        try lab.writeFile(
            device: "host1", path: "etc/snmp/snmpd.conf", contents: "rocommunity CANARY-W-LNX-9a4b 10.0.0.0/8\n")
        try lab.setBehaviour(device: "hang1", .hang(afterLines: 3))
        try lab.setBehaviour(device: "flood1", .flood)

        var entries = WatcherWorld.entries(lab, junosSet: Set(junosSet))
        for index in entries.indices where entries[index].name == "auth1" { entries[index].refusedAuth = true }
        entries.append(
            WatcherWorld.Entry(name: "down1", lab: nil, platform: "cisco_ios", port: try WatcherWorld.closedPort()))
        // The HTTP endpoint of `http:` with its API on, so the canary check covers real answers.
        let httpPort = try WatcherWorld.freePort()
        let world = try WatcherWorld.make(
            lab: lab, entries: entries, interval: "\(Int(interval))s", timeout: "3s", timeLimit: "5s", concurrency: 8,
            extra: "http: { listen: 127.0.0.1:\(httpPort), token_env: DW_API_TOKEN }\n",
            extraEnvironment: ["DW_API_TOKEN": HTTPTestSupport.token])
        defer { world.remove() }

        // Baselines first: one one-shot pass over the good devices (and hk1), approved.
        let context = try world.context()
        let noLog = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let oneShot = try context.driftCheck(
            options: CollectorOptions(outputLimit: 1 << 20), environment: world.environment, logger: noLog)
        let first = await oneShot.run(try (good + ["hk1"]).map { try context.configuration.device(named: $0) })
        for device in first.devices {
            #expect(device.collection == .ok, "\(device.device): \(device.message ?? "")")
        }
        try await world.approveLatest(good, store: context.store, baselines: context.baselines)
        // hk1 is replaced by another machine with another key.
        try world.changeHostKey(of: try lab.device("hk1"))

        let sink = CapturingLogHandler.Lines()
        var logger = Logger(label: "driftwatch.watch", factory: { _ in CapturingLogHandler(sink: sink) })
        logger.logLevel = .debug
        let registry = PrometheusCollectorRegistry()
        let options = WatcherOptions(
            collector: CollectorOptions(outputLimit: 1 << 20), housekeepingInterval: .seconds(1),
            stateScanInterval: .seconds(2), firstRoundWindow: .seconds(2))
        let watcher = try buildWatcher(
            configPath: world.configPath, catalog: world.catalog, options: options, registry: registry,
            environment: world.environment, logger: logger)
        let store = watcher.store
        let started = Date()

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }

            // A. The first round: every good device polled and clean.
            let firstRound = try await WatcherWorld.waitFor(.seconds(40)) {
                let states = try await store.deviceStates().filter { good.contains($0.device) }
                return states.count == good.count
                    && states.allSatisfy { $0.status == .clean && ($0.lastAttemptAt ?? .distantPast) > started }
            }
            let firstStates = try await store.deviceStates().map { "\($0.device)=\($0.status)" }
            #expect(firstRound != nil, "\(firstStates)")
            #expect(await watcher.isReady())

            // B. A second watcher on the same state store is refused.
            do {
                _ = try buildWatcher(configPath: world.configPath, catalog: world.catalog, logger: noLog)
                Issue.record("a second watcher was built on a locked state store")
            } catch let error as DriftWatchError {
                #expect(error.code == .watcherRunning && error.message.contains("another watcher"), "\(error)")
            }

            // C. A real change turns drifted within one interval (+ the collection itself).
            try lab.setConfig(
                device: "ios2",
                try lab.config(device: "ios2").replacingOccurrences(of: "ip ssh version 2", with: "ip ssh version 1"))
            // D. Volatile-only changes.
            try lab.setConfig(
                device: "eos2", try lab.config(device: "eos2").replacingOccurrences(of: "EOS-4.30.1F", with: "EOS-4.31.0F"))
            try lab.setConfig(
                device: "jun2", try lab.config(device: "jun2").replacingOccurrences(of: "10:12:31 UTC", with: "11:45:02 UTC"))
            try lab.setConfig(
                device: "ios3", try lab.config(device: "ios3").replacingOccurrences(of: "10:12:31 UTC", with: "11:59:59 UTC"))
            let edited = Date()
            let drifted = try await WatcherWorld.waitFor(.seconds(interval * 1.1 + 10)) {
                try await store.deviceState(device: "ios2")?.status == .drifted
            }
            let bound = Duration.seconds(interval * 1.1 + 3)
            #expect(drifted != nil && drifted! <= bound, "ios2 drifted after \(String(describing: drifted)), bound \(bound)")
            print("watcher: edit to drifted in \(drifted.map { "\($0)" } ?? "never") (interval \(interval) s)")
            let ios2Runs = try await store.collectionRuns(device: "ios2", limit: 3)
            #expect(ios2Runs.first?.trigger == .poll)
            let volatileCollected = try await WatcherWorld.waitFor(.seconds(interval * 2.2 + 6)) {
                for name in ["eos2", "jun2", "ios3"] {
                    guard let state = try await store.deviceState(device: name), let last = state.lastSuccessAt,
                        last > edited.addingTimeInterval(1)
                    else { return false }
                }
                return true
            }
            #expect(volatileCollected != nil)
            for name in ["eos2", "jun2", "ios3"] {
                #expect(try await store.deviceState(device: name)?.status == .clean, "\(name) after a volatile-only edit")
            }

            // E. Each failing device in its state, with a clear error.
            let faultsSeen = try await WatcherWorld.waitFor(.seconds(20)) {
                for name in ["hang1", "flood1", "auth1", "hk1", "down1"] {
                    if try await store.collectionRuns(device: name, limit: 1).isEmpty { return false }
                }
                return true
            }
            #expect(faultsSeen != nil)
            func lastRun(_ name: String) async throws -> CollectionRun? {
                try await store.collectionRuns(device: name, limit: 1).first
            }
            let hang = try await lastRun("hang1")
            #expect(hang?.result == .timeout && hang?.errorMessage?.contains("time limit") == true, "\(String(describing: hang))")
            let flood = try await lastRun("flood1")
            #expect(flood?.result == .error && flood?.errorMessage?.contains("flood1") == true, "\(String(describing: flood))")
            let auth = try await lastRun("auth1")
            #expect(
                auth?.result == .authFailed && auth?.errorMessage?.contains("devices[auth1].credentials") == true,
                "\(String(describing: auth))")
            let hostKey = try await lastRun("hk1")
            #expect(
                hostKey?.result == .hostKeyChanged && hostKey?.errorMessage?.contains("driftwatch hostkeys trust hk1") == true,
                "\(String(describing: hostKey))")
            #expect(try await store.deviceState(device: "hk1")?.status == .hostKeyChanged)
            let down = try await lastRun("down1")
            #expect(down?.result == .unreachable && down?.errorMessage?.contains("down1") == true, "\(String(describing: down))")
            for name in ["hang1", "flood1", "auth1", "down1"] {
                let status = try await store.deviceState(device: name)?.status
                #expect(status == .unreachable || status == .stale, "\(name): \(String(describing: status))")
            }

            // F. The good devices kept their schedule despite the failing ones: consecutive poll
            // runs at most one interval (+ jitter and a collection's time) apart.
            // Observe at least 3.5 intervals after the first round (2 s spread) so 3 polls are due.
            let observed = started.addingTimeInterval(2 + interval * 3.5)
            if observed > Date() { try await Task.sleep(for: .seconds(observed.timeIntervalSinceNow)) }
            for name in good {
                let runs = try await store.collectionRuns(device: name, limit: 50).filter {
                    $0.startedAt > started && $0.trigger == .poll
                }
                .map(\.startedAt).sorted()
                #expect(runs.count >= 3, "\(name): \(runs.count) polls")
                let gaps = zip(runs.dropFirst(), runs).map { $0.timeIntervalSince($1) }
                #expect(gaps.allSatisfy { $0 <= interval * 1.1 + 2.5 }, "\(name) gaps \(gaps)")
            }

            // G. A device without any good collection for 3 intervals is stale.
            let stale = try await WatcherWorld.waitFor(.seconds(interval * 3 + 10)) {
                try await store.deviceState(device: "down1")?.status == .stale
            }
            let downState = try await store.deviceState(device: "down1")
            #expect(stale != nil, "down1: \(String(describing: downState))")

            // H. A control request (what `driftwatch collect eos3` writes) runs at the front.
            let requested = Date()
            try await store.requestTrigger(device: "eos3", reason: .manual, user: "bob")
            let manual = try await WatcherWorld.waitFor(.seconds(4)) {
                try await store.collectionRuns(device: "eos3", limit: 3).contains {
                    $0.trigger == .manual && $0.startedAt > requested
                }
            }
            #expect(manual != nil && manual! < .seconds(4))

            // I. Reload: ios6 removed, eos5b added (eos5's port), intervals kept.
            var reloaded = entries.filter { $0.name != "ios6" }
            if var alias = entries.first(where: { $0.name == "eos5" }) {
                alias.name = "eos5b"
                reloaded.append(alias)
            }
            try world.writeConfiguration(interval: "\(Int(interval))s", timeLimit: "5s", entries: reloaded)
            let summary = try await watcher.reload(requestedBy: "test")
            #expect(summary.added == ["eos5b"] && summary.removed == ["ios6"] && summary.devices == reloaded.count)
            let reloadedAt = Date()
            #expect(await watcher.inventory().count == reloaded.count)
            let added = try await WatcherWorld.waitFor(.seconds(interval + 6)) {
                try await store.deviceState(device: "eos5b")?.status == .unbaselined
            }
            #expect(added != nil)
            // A configuration with an error is refused; the running one stays.
            try "devices:\n  - { name: x, host: 127.0.0.1, platform: cisco_ios, colour: blue }\n".write(
                toFile: world.configPath, atomically: true, encoding: .utf8)
            do {
                _ = try await watcher.reload(requestedBy: "test")
                Issue.record("a bad configuration was accepted")
            } catch let error as DriftWatchError {
                #expect(error.code == .invalidConfiguration && error.line == 2, "\(error)")
            }
            #expect(await watcher.inventory().count == reloaded.count)
            let audit = try await store.auditRecords(since: started)
            #expect(audit.filter { $0.action == "config.reload" }.count == 1)
            try await Task.sleep(for: .seconds(interval * 1.2))
            let ios6Late = try await store.collectionRuns(device: "ios6", limit: 5).filter {
                $0.startedAt > reloadedAt.addingTimeInterval(1)
            }
            #expect(ios6Late.isEmpty, "ios6 still collected after its removal")

            // J0. The running watcher's API: every answer, for every device, free of canaries
            // (the drifted ios2 included: its diff and remediation are served).
            var apiText = ""
            let devicesAnswer = try await HTTPTestSupport.request(.GET, "/api/v1/devices", port: httpPort)
            #expect(devicesAnswer.status == 200, "\(devicesAnswer.body.prefix(300))")
            apiText += devicesAnswer.body
            for name in good + ["hang1", "flood1", "auth1", "hk1", "down1"] {
                for path in ["/api/v1/devices/\(name)", "/api/v1/devices/\(name)/drift"] {
                    let answer = try await HTTPTestSupport.request(.GET, path, port: httpPort)
                    #expect(answer.status == 200 || answer.status == 404, "\(path): \(answer.status)")
                    apiText += answer.body
                }
            }
            let ios2Drift = try await HTTPTestSupport.request(.GET, "/api/v1/devices/ios2/drift", port: httpPort)
            #expect(ios2Drift.status == 200 && ios2Drift.body.contains("ip ssh version"), "\(ios2Drift.body.prefix(400))")
            for path in ["/metrics", "/healthz", "/readyz"] {
                apiText += try await HTTPTestSupport.request(.GET, path, port: httpPort, token: nil).body
            }
            #expect(try await HTTPTestSupport.request(.GET, "/api/v1/devices", port: httpPort, token: nil).status == 401)
            for canary in canaries { #expect(!apiText.contains(canary), "\(canary) in an API answer") }

            // J. Metrics were recorded.
            let metrics = registry.emitToString()
            #expect(metrics.contains("driftwatch_collections_total"), "\(metrics.prefix(400))")
            #expect(metrics.contains("driftwatch_devices"))

            await watcher.shutdown()
            try await group.waitForAll()
        }

        // K. No canary in the database files or the debug-level log.
        let logText = sink.all
        #expect(logText.contains("device checked"))
        let bytes = world.databaseBytes()
        #expect(!bytes.isEmpty)
        for canary in canaries {
            #expect(!logText.contains(canary), "\(canary) in the log")
            for data in bytes { #expect(data.range(of: Data(canary.utf8)) == nil, "\(canary) in the database") }
        }
        #expect(try await WatcherWorld.soundnessProblems(statePath: world.statePath).isEmpty)
    }
}
