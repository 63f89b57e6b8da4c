import Foundation
import Testing

@testable import DriftWatch

/// Per-group concurrency limits (`groups.<name>.concurrency`) in the due-queue, and the wake-up
/// rule at the cap: no clock, no I/O, time driven by hand.
@Suite struct WatcherGroupLimitTests {
    let t0 = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0.advanced(by: .seconds(seconds)) }

    func drain(_ queue: inout DueQueue, now: ContinuousClock.Instant, limit: Int = 1000) -> [String] {
        var jobs: [String] = []
        while let job = queue.next(now: now, limit: limit) { jobs.append(job.device) }
        return jobs
    }

    /// Core devices due first, a limit of 2 on core: two core devices run, the others of core
    /// wait without holding back the edge devices behind them, and each finished core run lets
    /// the next parked core device (in due order) start.
    @Test func aFullGroupParksItsDevicesWithoutBlockingOthers() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .zero, seed: 1)
        queue.setGroupLimits(["core": 2])
        for index in 0..<5 { queue.add("core\(index)", interval: .seconds(60), groups: ["core"], now: at(Double(index) * 0.1)) }
        for index in 0..<3 { queue.add("edge\(index)", interval: .seconds(60), groups: ["edge"], now: at(1 + Double(index) * 0.1)) }
        #expect(drain(&queue, now: at(2)) == ["core0", "core1", "edge0", "edge1", "edge2"])
        #expect(queue.inFlight(group: "core") == 2)
        #expect(queue.inFlight(group: "edge") == 0)
        queue.finish("core1", now: at(3))
        #expect(drain(&queue, now: at(3)) == ["core2"])
        queue.finish("core0", now: at(3))
        queue.finish("core2", now: at(3))
        #expect(drain(&queue, now: at(3)) == ["core3", "core4"])
        #expect(queue.inFlight(group: "core") == 2)
    }

    /// A device in two limited groups counts against both, and waits while either is full.
    @Test func aDeviceInTwoLimitedGroupsCountsAgainstBoth() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .zero, seed: 2)
        queue.setGroupLimits(["core": 1, "dc1": 2])
        queue.add("a", interval: .seconds(60), groups: ["dc1"], now: t0)
        queue.add("b", interval: .seconds(60), groups: ["core", "dc1"], now: at(0.1))
        queue.add("c", interval: .seconds(60), groups: ["dc1"], now: at(0.2))
        queue.add("d", interval: .seconds(60), groups: ["core"], now: at(0.3))
        #expect(drain(&queue, now: at(1)) == ["a", "b"])
        #expect(queue.inFlight(group: "core") == 1 && queue.inFlight(group: "dc1") == 2)
        queue.finish("a", now: at(2))
        // dc1 has room again, but core is still full: only c (dc1 only) may start.
        #expect(drain(&queue, now: at(2)) == ["c"])
        queue.finish("b", now: at(3))
        #expect(drain(&queue, now: at(3)) == ["d"])
    }

    /// A trigger for a parked device still goes first once its group has room; a group whose
    /// limit is dropped on reload releases its parked devices at once.
    @Test func triggersAndReloadsReachParkedDevices() {
        var queue = DueQueue(jitterFraction: 0, debounce: .zero, firstRoundWindow: .zero, seed: 3)
        queue.setGroupLimits(["core": 1])
        for index in 0..<4 { queue.add("c\(index)", interval: .seconds(60), groups: ["core"], now: at(Double(index) * 0.1)) }
        #expect(drain(&queue, now: at(1)) == ["c0"])
        #expect(queue.trigger("c3", reason: .syslog, user: "alice", now: at(1)) == .queued)
        #expect(queue.next(now: at(1), limit: 10) == nil)
        queue.finish("c0", now: at(2))
        #expect(queue.next(now: at(2), limit: 10) == DueQueue.Job(device: "c3", reason: .syslog, user: "alice"))
        // Reload: core has no limit any more; c1 and c2 (parked) start at once.
        queue.setGroupLimits([:])
        for index in 0..<4 { queue.add("c\(index)", interval: .seconds(60), groups: ["core"], now: at(2)) }
        #expect(Set(drain(&queue, now: at(2))) == ["c1", "c2"])
        // The run that started under the limit still releases it when it ends.
        queue.finish("c3", now: at(3))
        #expect(queue.inFlight(group: "core") == 0)
    }

    /// At the global cap with devices overdue, there is nothing to wake for until a run ends
    /// (the scheduler used to wake at once for the overdue device and spin); with room again,
    /// the overdue device is due at once.
    @Test func atTheCapTheSchedulerSleepsUntilARunEnds() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .zero, seed: 4)
        for index in 0..<3 { queue.add("d\(index)", interval: .seconds(60), now: t0) }
        #expect(drain(&queue, now: at(1), limit: 1) == ["d0"])
        #expect(queue.nextDueAt().map { $0 <= at(1) } == true)
        #expect(queue.nextWakeAt(limit: 1) == nil)
        queue.finish("d0", now: at(2))
        #expect(queue.nextWakeAt(limit: 1).map { $0 <= at(2) } == true)
        // The same for a full group: its parked devices are no reason to wake.
        queue.setGroupLimits(["g": 1])
        for index in 0..<3 { queue.add("g\(index)", interval: .seconds(60), groups: ["g"], now: at(2)) }
        let started = drain(&queue, now: at(3), limit: 10)
        #expect(started.filter { $0.hasPrefix("g") }.count == 1)
        queue.finish("d1", now: at(3))
        queue.finish("d2", now: at(3))
        #expect(queue.nextWakeAt(limit: 10).map { $0 > at(3) } == true)
    }

    /// Random adds, triggers, finishes, reloads and removals: a group never has more runs than
    /// its limit, the counts match the devices in flight, and every device keeps being polled.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func limitsHoldUnderRandomOperations(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        var queue = DueQueue(firstRoundWindow: .seconds(5), seed: seed)
        let groups = ["core", "edge", "dc1", "lab"]
        var limits: [String: Int] = ["core": 2, "edge": 1, "dc1": 3]
        var membership: [String: [String]] = [:]
        queue.setGroupLimits(limits)
        for index in 0..<40 {
            let mine = (0..<pick(3)).map { _ in groups[pick(groups.count)] }
            membership["d\(index)"] = mine
            queue.add("d\(index)", interval: .seconds(10), groups: mine, now: t0)
        }
        var running: [String: [String]] = [:]  // device -> groups limited at start
        var runs: [String: Int] = [:]
        var now = t0
        for step in 0..<3000 {
            now = now.advanced(by: .milliseconds(50))
            switch pick(20) {
            case 0:
                let device = "d\(pick(40))"
                _ = queue.trigger(device, reason: .syslog, user: nil, now: now)
            case 1 where step % 500 == 0:
                limits = ["core": 1 + pick(3), "lab": 1 + pick(2)]
                queue.setGroupLimits(limits)
                for (device, mine) in membership { queue.add(device, interval: .seconds(10), groups: mine, now: now) }
            default:
                break
            }
            while let job = queue.next(now: now, limit: 6) {
                let limited = (membership[job.device] ?? []).filter { limits[$0] != nil }
                running[job.device] = limited
                runs[job.device, default: 0] += 1
                // A run never starts in a full group.
                for group in limited {
                    let count = running.values.filter { $0.contains(group) }.count
                    #expect(count <= limits[group] ?? .max, "step \(step): \(job.device) started in full group \(group)")
                }
            }
            for group in groups {
                #expect(queue.inFlight(group: group) == running.values.filter { $0.contains(group) }.count)
            }
            #expect(queue.inFlight == running.count)
            #expect(running.count <= 6)
            // Finish some runs.
            for device in running.keys.sorted() where pick(4) == 0 {
                running[device] = nil
                queue.finish(device, now: now)
            }
        }
        // 150 s of time at a 10 s interval: every device ran many times.
        #expect((0..<40).allSatisfy { (runs["d\($0)"] ?? 0) >= 5 }, "\(runs)")
    }
}
