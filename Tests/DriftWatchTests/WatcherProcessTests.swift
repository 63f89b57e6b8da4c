import DeviceLab
import Foundation
import Testing

@testable import DriftWatch

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch watch` as a process against a lab: the lock against a second watcher,
/// `baseline approve` and `collect` reaching the running watcher, `reload` and SIGHUP,
/// `kill -9` in the middle of a cycle and a restart that loses nothing and resumes, SIGTERM
/// ending with exit 0, `reload` without a watcher, and no canary in the debug log.
///
/// Timing-sensitive: run it in the timing-sensitive pass.
@Suite(.tags(.lab), .serialized) struct WatcherProcessTests {
    static let devices = ["p-ios1", "p-ios2", "p-eos1", "p-eos2", "p-set1", "p-set2", "slow1"]
    static let canary = "CANARY-WP-3c8d"

    @Test func surviveKillNineReloadAndStopGracefully() async throws {
        let specs = [
            LabDeviceSpec("p-ios1", platform: .ciscoIOS), LabDeviceSpec("p-ios2", platform: .ciscoIOS),
            LabDeviceSpec("p-eos1", platform: .aristaEOS), LabDeviceSpec("p-eos2", platform: .aristaEOS),
            LabDeviceSpec("p-set1", platform: .junos), LabDeviceSpec("p-set2", platform: .junos),
            LabDeviceSpec("slow1", platform: .aristaEOS),
        ]
        try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in try await Self.scenario(lab) }
    }

    static func scenario(_ lab: DeviceLab) async throws {
        try lab.setConfig(
            device: "p-ios1", try lab.config(device: "p-ios1").replacingOccurrences(of: "s3cr3t-ro", with: canary))
        // About 40 lines at 50 ms: a collection of slow1 is in flight most of the time.
        try lab.setBehaviour(device: "slow1", .slow(perLine: .milliseconds(50)))
        let world = try WatcherWorld.make(
            lab: lab, entries: WatcherWorld.entries(lab, junosSet: ["p-set1", "p-set2"]), interval: "3s",
            timeout: "4s", timeLimit: "8s", concurrency: 4)
        defer { world.remove() }
        let runner = WatcherWorld.CLI(world: world, binary: try BaselineCLITests.binary().path)
        let store = try SQLiteStateStore(path: world.statePath)

        // 1. Start; every device collected once (no baselines yet).
        let firstWatch = try runner.watch()
        let unbaselined = try await WatcherWorld.waitFor(.seconds(40)) {
            let states = try await store.deviceStates()
            return states.count == devices.count && states.allSatisfy { $0.status == .unbaselined }
        }
        let startStates = try await store.deviceStates().map { "\($0.device)=\($0.status)" }
        #expect(unbaselined != nil, "\(startStates)")

        // 2. A second watcher on the same state store: exit 2 with a clear message.
        let second = try await runner.run(["watch"])
        #expect(second.status == 2 && second.error.contains("another watcher"), "\(second.status) \(second.error)")

        // 3. Approvals reach the running watcher: re-checked right away, clean.
        for name in devices {
            let approved = try await runner.run(
                ["baseline", "approve", name, "--snapshot", "latest", "--reason", "watch test", "--yes"])
            #expect(approved.status == 0 && approved.output.contains("running watcher will re-check"), "\(approved)")
        }
        let clean = try await WatcherWorld.waitFor(.seconds(15)) {
            try await store.deviceStates().allSatisfy { $0.status == .clean }
        }
        #expect(clean != nil)
        #expect(try await store.collectionRuns(device: "p-eos2", limit: 5).contains { $0.trigger == .approval })

        // 4. `collect` while the watcher runs: queued at the front, run by the watcher.
        let asked = Date()
        let collect = try await runner.run(["collect", "p-eos1"])
        #expect(collect.status == 0 && collect.output.contains("a watcher is running"), "\(collect)")
        let manual = try await WatcherWorld.waitFor(.seconds(5)) {
            try await store.collectionRuns(device: "p-eos1", limit: 5).contains {
                $0.trigger == .manual && $0.startedAt > asked
            }
        }
        #expect(manual != nil)

        // 5. `reload` and SIGHUP, both audited.
        let reload = try await runner.run(["reload"])
        #expect(reload.status == 0 && reload.output.contains("reloaded: \(devices.count) devices"), "\(reload)")
        firstWatch.signal(SIGHUP)
        let hupped = try await WatcherWorld.waitFor(.seconds(5)) {
            try await store.auditRecords(since: nil).filter { $0.action == "config.reload" }.count == 2
        }
        #expect(hupped != nil)
        #expect(try await store.auditRecords(since: nil).contains { $0.action == "config.reload" && $0.actor == "SIGHUP" })

        // 6. kill -9 while slow1 is being collected.
        let inFlight = try await WatcherWorld.waitFor(.seconds(10)) {
            // slow1's collection (about 3.5 s) is longer than its interval (3 s), so the next one
            // starts as soon as one ends; its run row is written at the end. Shortly after a
            // row appears, the next collection is in flight.
            guard let last = try await store.collectionRuns(device: "slow1", limit: 1).first else { return false }
            let ended = last.startedAt.addingTimeInterval(Double(last.durationMilliseconds) / 1000)
            return (0.3...2.0).contains(Date().timeIntervalSince(ended))
        }
        #expect(inFlight != nil)
        let before = try await store.deviceStates()
        let runsBefore = try await store.collectionRuns(device: "p-ios1", limit: 1000).count
        firstWatch.signal(SIGKILL)
        let killed = await firstWatch.wait()
        #expect(killed.status == SIGKILL)
        #expect(killed.output.contains("watching \(devices.count) devices"))
        #expect(!killed.error.contains(canary) && !killed.output.contains(canary))
        #expect(killed.error.contains("device checked"), "the debug log: \(killed.error.suffix(300))")

        // 7. What the restart finds: a sound file, every state, an intact audit chain.
        #expect(try await WatcherWorld.soundnessProblems(statePath: world.statePath).isEmpty)
        let after = try await store.deviceStates()
        #expect(after.map(\.device) == before.map(\.device) && after.allSatisfy { $0.status == .clean })
        #expect(try await store.collectionRuns(device: "p-ios1", limit: 1000).count >= runsBefore)

        // 8. Restart: scheduling resumes for every device.
        let restarted = Date()
        let secondWatch = try runner.watch()
        let resumed = try await WatcherWorld.waitFor(.seconds(30)) {
            for name in devices {
                let runs = try await store.collectionRuns(device: name, limit: 3)
                if !runs.contains(where: { $0.startedAt > restarted && $0.result == .ok }) { return false }
            }
            return true
        }
        #expect(resumed != nil)
        #expect(try await store.deviceStates().allSatisfy { $0.status == .clean })

        // 9. SIGTERM: in-flight work ends, exit 0.
        let stopAsked = ContinuousClock.now
        secondWatch.signal(SIGTERM)
        let stopped = await secondWatch.wait()
        let stopTime = ContinuousClock.now - stopAsked
        #expect(stopped.status == 0, "\(stopped.status) \(stopped.error.suffix(500))")
        #expect(stopTime < .seconds(8 + 4), "graceful stop took \(stopTime)")
        print("watcher: SIGTERM to exit in \(stopTime)")
        #expect(stopped.error.contains("watcher stopped"))
        #expect(!stopped.error.contains(canary))
        #expect(try await WatcherWorld.soundnessProblems(statePath: world.statePath).isEmpty)

        // 10. Without a watcher: `reload` says so, `collect` collects itself.
        let orphan = try await runner.run(["reload"])
        #expect(orphan.status == 2 && orphan.error.contains("no watcher is running"), "\(orphan)")
        let direct = try await runner.run(["collect", "p-ios2"])
        #expect(direct.status == 0 && direct.output.contains("p-ios2: ok, snapshot"), "\(direct)")
    }
}
