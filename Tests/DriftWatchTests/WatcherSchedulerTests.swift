import Foundation
import Logging
import Synchronization
import Testing

@testable import DriftWatch

/// The due-queue's rules without I/O or a real clock: every call gets its `now`, so time is
/// driven by hand (ordering, first-round spread, jitter bounds, concurrency cap, triggers at the
/// front, debounce, follow-up runs, fairness, reload adding and removing devices).
@Suite struct WatcherSchedulerTests {
    let t0 = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0.advanced(by: .seconds(seconds)) }

    func drain(_ queue: inout DueQueue, now: ContinuousClock.Instant, limit: Int = 1000) -> [DueQueue.Job] {
        var jobs: [DueQueue.Job] = []
        while let job = queue.next(now: now, limit: limit) { jobs.append(job) }
        return jobs
    }

    @Test func firstRoundIsSpreadOverTheWindow() {
        var queue = DueQueue(firstRoundWindow: .seconds(60), seed: 7)
        for index in 0..<1000 { queue.add("d\(index)", interval: .seconds(300), now: t0) }
        let dues = (0..<1000).compactMap { queue.due("d\($0)") }.map { t0.duration(to: $0) }
        #expect(dues.count == 1000)
        #expect(dues.allSatisfy { $0 >= .zero && $0 < .seconds(60) })
        // Spread, not bunched: every 6-second tenth of the window holds some devices.
        let buckets = Set(dues.map { Int(Scheduler.seconds($0) / 6) })
        #expect(buckets == Set(0..<10))
        // Nothing is due before its time, and at t0 + 60 s everything is.
        let early = drain(&queue, now: t0).count
        #expect(early <= 5)
        #expect(drain(&queue, now: at(60)).count == 1000 - early)
    }

    @Test func firstRoundOfAShortIntervalFitsInTheInterval() {
        var queue = DueQueue(firstRoundWindow: .seconds(60), seed: 1)
        for index in 0..<100 { queue.add("d\(index)", interval: .seconds(2), now: t0) }
        #expect((0..<100).allSatisfy { queue.due("d\($0)").map { t0.duration(to: $0) < .seconds(2) } ?? false })
    }

    @Test func devicesComeOutInDueOrderAndNotBefore() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .zero, seed: 3)
        queue.add("a", interval: .seconds(10), now: t0)
        queue.add("b", interval: .seconds(10), now: at(1))
        queue.add("c", interval: .seconds(10), now: at(2))
        #expect(queue.next(now: t0, limit: 10)?.device == "a")
        #expect(queue.next(now: at(0.5), limit: 10) == nil)
        #expect(queue.nextDueAt() == at(1))
        #expect(drain(&queue, now: at(5)).map(\.device) == ["b", "c"])
        // The next poll is `interval` after the start of the run (no jitter here).
        queue.finish("a", now: at(3))
        #expect(queue.due("a") == at(10))
        let job = queue.next(now: at(10), limit: 10)
        #expect(job == DueQueue.Job(device: "a", reason: .poll, user: nil))
    }

    @Test(arguments: [(300.0, 30.0), (3600.0, 60.0), (5.0, 0.5)])
    func jitterStaysWithinItsBounds(interval: Double, bound: Double) {
        var queue = DueQueue(jitterFraction: 0.1, maxJitter: .seconds(60), firstRoundWindow: .zero, seed: 11)
        queue.add("d", interval: .seconds(interval), now: t0)
        var offsets: [Double] = []
        var now = t0
        for _ in 0..<500 {
            guard queue.next(now: now, limit: 1) != nil else {
                Issue.record("not due")
                return
            }
            let start = now
            queue.finish("d", now: start)
            guard let due = queue.due("d") else { return }
            offsets.append(Scheduler.seconds(start.duration(to: due)) - interval)
            now = due
        }
        #expect(offsets.allSatisfy { abs($0) <= bound + 1e-6 }, "\(offsets.min() ?? 0)…\(offsets.max() ?? 0)")
        // Both sides are used and most of the range is covered.
        #expect((offsets.min() ?? 0) < -bound * 0.8 && (offsets.max() ?? 0) > bound * 0.8)
    }

    @Test func atMostLimitCollectionsRunAtOnce() {
        var queue = DueQueue(firstRoundWindow: .zero, seed: 5)
        for index in 0..<10 { queue.add("d\(index)", interval: .seconds(60), now: t0) }
        let first = drain(&queue, now: at(1), limit: 3)
        #expect(first.count == 3 && queue.inFlight == 3)
        #expect(queue.next(now: at(1), limit: 3) == nil)
        queue.finish(first[0].device, now: at(2))
        #expect(queue.next(now: at(2), limit: 3) != nil)
        #expect(queue.next(now: at(2), limit: 3) == nil)
        #expect(queue.inFlight == 3)
    }

    @Test func triggersJumpTheQueueAfterTheirDebounce() {
        var queue = DueQueue(debounce: .seconds(1), firstRoundWindow: .zero, seed: 5)
        for index in 0..<10 { queue.add("d\(index)", interval: .seconds(60), now: t0) }
        // Everything is overdue; d9 is triggered.
        #expect(queue.trigger("d9", reason: .syslog, user: "alice", now: at(10)) == .queued)
        // Within the debounce the polled backlog runs.
        let polled = queue.next(now: at(10.5), limit: 1)
        #expect(polled != nil && polled?.device != "d9")
        queue.finish(polled?.device ?? "", now: at(10.6))
        // After it, the trigger goes first, ahead of the 8 overdue polled devices.
        #expect(queue.next(now: at(11), limit: 1) == DueQueue.Job(device: "d9", reason: .syslog, user: "alice"))
        #expect(queue.trigger("nope", reason: .manual, user: nil, now: at(11)) == .unknownDevice)
    }

    @Test func aBurstOfTriggersIsOneCollection() {
        var queue = DueQueue(debounce: .seconds(1), firstRoundWindow: .zero, seed: 5)
        queue.add("r1", interval: .seconds(300), now: t0)
        queue.add("r2", interval: .seconds(300), now: t0)
        _ = drain(&queue, now: t0)
        queue.finish("r1", now: at(1))
        queue.finish("r2", now: at(1))
        #expect(queue.trigger("r1", reason: .syslog, user: nil, now: at(2)) == .queued)
        #expect(queue.trigger("r1", reason: .syslog, user: "bob", now: at(2.3)) == .merged)
        #expect(queue.trigger("r1", reason: .syslog, user: nil, now: at(2.6)) == .merged)
        #expect(queue.next(now: at(2.9), limit: 10) == nil)
        #expect(drain(&queue, now: at(3)) == [DueQueue.Job(device: "r1", reason: .syslog, user: "bob")])
        #expect(drain(&queue, now: at(4)).isEmpty)
    }

    @Test func aTriggerDuringACollectionBooksExactlyOneFollowUp() {
        var queue = DueQueue(jitterFraction: 0, debounce: .seconds(1), firstRoundWindow: .zero, seed: 5)
        queue.add("r1", interval: .seconds(300), now: t0)
        #expect(queue.next(now: t0, limit: 10)?.reason == .poll)
        #expect(queue.trigger("r1", reason: .syslog, user: "carol", now: at(1)) == .followUp)
        #expect(queue.trigger("r1", reason: .syslog, user: nil, now: at(1.5)) == .merged)
        #expect(queue.next(now: at(2), limit: 10) == nil)  // still in flight
        queue.finish("r1", now: at(3))
        #expect(queue.next(now: at(3), limit: 10) == DueQueue.Job(device: "r1", reason: .syslog, user: "carol"))
        queue.finish("r1", now: at(4))
        // Back to polling: interval after the follow-up's start.
        #expect(queue.due("r1") == at(303))
        #expect(drain(&queue, now: at(302)).isEmpty)
    }

    @Test func underBacklogEveryDeviceRunsBeforeAnyRunsTwice() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .seconds(5), seed: 9)
        let names = (0..<20).map { "d\($0)" }
        for name in names { queue.add(name, interval: .seconds(1), now: t0) }
        // Far too slow: one at a time, each taking 2 s with a 1 s interval.
        var now = at(5)
        var order: [String] = []
        for _ in 0..<60 {
            guard let job = queue.next(now: now, limit: 1) else {
                Issue.record("nothing due under backlog")
                return
            }
            order.append(job.device)
            now = now.advanced(by: .seconds(2))
            queue.finish(job.device, now: now)
        }
        for round in 0..<3 {
            #expect(Set(order[(round * 20)..<(round * 20 + 20)]) == Set(names), "round \(round)")
        }
    }

    @Test func reloadAddsRemovesAndRetimesDevices() {
        var queue = DueQueue(jitterFraction: 0, firstRoundWindow: .zero, seed: 2)
        queue.add("keep", interval: .seconds(300), now: t0)
        queue.add("gone", interval: .seconds(300), now: t0)
        queue.add("busy", interval: .seconds(300), now: t0)
        #expect(queue.next(now: t0, limit: 10) != nil)
        #expect(queue.next(now: t0, limit: 10) != nil)
        #expect(queue.next(now: t0, limit: 10) != nil)
        queue.finish("keep", now: at(1))
        queue.finish("gone", now: at(1))
        // Removed while waiting: never comes out again, even when triggered.
        queue.remove("gone")
        #expect(queue.trigger("gone", reason: .manual, user: nil, now: at(2)) == .unknownDevice)
        // Removed while in flight: it finishes and is forgotten.
        queue.remove("busy")
        queue.finish("busy", now: at(2))
        #expect(queue.inFlight == 0 && queue.count == 1)
        // A shorter interval re-times a device that waits longer than it.
        queue.setInterval("keep", interval: .seconds(10), now: at(2))
        #expect(queue.due("keep").map { $0 <= at(12) } == true)
        // A new device is in the first round.
        queue.add("new", interval: .seconds(10), now: at(2))
        let jobs = drain(&queue, now: at(12))
        #expect(Set(jobs.map(\.device)) == ["keep", "new"])
    }

    @Test func lazyDeletionDoesNotGrowWithoutBound() {
        var queue = DueQueue(debounce: .zero, firstRoundWindow: .zero, seed: 4)
        queue.add("r1", interval: .seconds(60), now: t0)
        for step in 0..<10_000 {
            _ = queue.trigger("r1", reason: .syslog, user: nil, now: at(Double(step)))
            _ = queue.next(now: at(Double(step)), limit: 1)
            queue.finish("r1", now: at(Double(step)))
        }
        #expect(queue.count == 1)
        #expect(queue.inFlight == 0)
    }

    /// The actor on the real clock: the cap holds with real tasks, a trigger runs ahead of the
    /// interval, and graceful stop waits for the collection in flight.
    @Test func schedulerRunsJobsWithinTheCapAndDrainsOnStop() async throws {
        struct Counters {
            var running = 0
            var peak = 0
            var runs: [String: Int] = [:]
            var reasons: [DueQueue.Job] = []
            var finishedAfterStop = false
        }
        let counters = Mutex(Counters())
        let stopped = Mutex(false)
        let scheduler = Scheduler(
            queue: DueQueue(debounce: .milliseconds(100), firstRoundWindow: .milliseconds(200), seed: 1),
            concurrency: 2, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { job in
            counters.withLock {
                $0.running += 1
                $0.peak = max($0.peak, $0.running)
                $0.runs[job.device, default: 0] += 1
                if job.reason != .poll { $0.reasons.append(job) }
            }
            try? await Task.sleep(for: .milliseconds(150))
            counters.withLock {
                $0.running -= 1
                if stopped.withLock({ $0 }) { $0.finishedAfterStop = true }
            }
        }
        await scheduler.schedule((0..<6).map { ("d\($0)", Duration.seconds(60)) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            // Every device has its first round (waited for, not timed: the machine may be loaded);
            // none is due again for a minute.
            let firstRound = await WatcherWorld.waitFor(.seconds(10)) {
                counters.withLock { $0.runs.count == 6 && $0.running == 0 }
            }
            #expect(firstRound != nil)
            #expect(counters.withLock { $0.runs.values.allSatisfy { $0 == 1 } })
            #expect(await scheduler.trigger("d3", reason: .manual, user: "dave") == .queued)
            try await Task.sleep(for: .milliseconds(500))
            #expect(counters.withLock { $0.reasons } == [DueQueue.Job(device: "d3", reason: .manual, user: "dave")])
            // Stop while a triggered collection runs: it finishes before run() returns.
            #expect(await scheduler.trigger("d4", reason: .manual, user: nil) == .queued)
            try await Task.sleep(for: .milliseconds(150))
            stopped.withLock { $0 = true }
            scheduler.stop()
            try await group.next()
            #expect(counters.withLock { $0.running } == 0)
            #expect(counters.withLock { $0.finishedAfterStop })
        }
        #expect(counters.withLock { $0.peak } == 2)
    }
}
