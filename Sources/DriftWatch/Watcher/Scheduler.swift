import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the ``DueQueue``: starts each due device's collection (at most `concurrency` at once),
/// sleeps until the next due time or until a trigger or a finished collection wakes it, and on
/// graceful shutdown stops taking work and waits for the collections in flight (each one ends
/// by itself at its time limit).
///
/// The work itself is the `runner` closure (the ``Watcher`` collects, evaluates, stores and
/// alerts); the scheduler knows only device names, intervals and triggers.
public actor Scheduler: Service {
    /// One collection to run.
    public typealias Runner = @Sendable (DueQueue.Job) async -> Void

    private var queue: DueQueue
    private var concurrency: Int
    private let runner: Runner
    private let wake = WakeSignal()
    private let stopping = Mutex(false)
    private var running = false
    private let logger: Logger

    /// A scheduler over `queue` that runs jobs with `runner`.
    public init(queue: DueQueue, concurrency: Int, logger: Logger, runner: @escaping Runner) {
        self.queue = queue
        self.concurrency = max(1, concurrency)
        self.logger = logger
        self.runner = runner
    }

    /// Makes the scheduled set exactly `devices` (name and interval): new ones are added for a
    /// first round, missing ones removed (one in flight finishes), intervals updated.
    public func schedule(_ devices: [(name: String, interval: Duration)], concurrency: Int? = nil) {
        schedule(devices.map { ($0.name, $0.interval, []) }, concurrency: concurrency, groupLimits: nil)
    }

    /// Makes the scheduled set exactly `devices` (name, interval and groups): new ones are added
    /// for a first round, missing ones removed (one in flight finishes), intervals and groups
    /// updated. `concurrency` is the global limit; `groupLimits` (when given) replaces the
    /// per-group limits (`groups.<name>.concurrency`).
    public func schedule(
        _ devices: [(name: String, interval: Duration, groups: [String])], concurrency: Int? = nil,
        groupLimits: [String: Int]?
    ) {
        let now = ContinuousClock.now
        if let groupLimits { queue.setGroupLimits(groupLimits) }
        let wanted = Set(devices.map(\.name))
        for name in queue.slots.keys where !wanted.contains(name) { queue.remove(name) }
        for device in devices {
            if queue.contains(device.name) {
                queue.setInterval(device.name, interval: device.interval, now: now)
            }
            queue.add(device.name, interval: device.interval, groups: device.groups, now: now)
        }
        if let concurrency { self.concurrency = max(1, concurrency) }
        wake.signal()
    }

    /// Moves `device` to the front of the queue (debounced).
    @discardableResult
    public func trigger(_ device: String, reason: CollectionTrigger, user: String?) -> DueQueue.TriggerOutcome {
        let outcome = queue.trigger(device, reason: reason, user: user, now: .now)
        wake.signal()
        return outcome
    }

    /// The collections of `group` in flight now (0 for a group without a limit).
    public func inFlight(group: String) -> Int { queue.inFlight(group: group) }

    /// The queue now.
    public func snapshot() -> QueueSnapshot {
        let now = ContinuousClock.now
        let next = queue.nextDueAt().map { Date().addingTimeInterval(Self.seconds(now.duration(to: $0))) }
        return QueueSnapshot(
            due: queue.dueCount(now: now), inFlight: queue.inFlight, scheduled: queue.count, nextDueAt: next)
    }

    /// Whether `device` is being collected now.
    public func isInFlight(_ device: String) -> Bool { queue.isInFlight(device) }

    /// True while the loop runs.
    public func isRunning() -> Bool { running }

    /// Runs until graceful shutdown (or cancellation), then waits for the collections in flight.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await self.loop()
        } onGracefulShutdown: {
            self.stop()
        }
    }

    /// Stops taking new work (what graceful shutdown does); in-flight collections finish.
    public nonisolated func stop() {
        stopping.withLock { $0 = true }
        wake.signal()
    }

    private func loop() async throws {
        running = true
        defer { running = false }
        let runner = self.runner
        await withDiscardingTaskGroup { group in
            while !stopping.withLock({ $0 }) && !Task.isCancelled {
                let now = ContinuousClock.now
                while let job = queue.next(now: now, limit: concurrency) {
                    group.addTask {
                        await runner(job)
                        await self.finished(job.device)
                    }
                }
                // At the cap, sleep until a collection ends (it signals), not until an overdue
                // device's due time, which has passed: that would spin.
                await wake.wait(until: queue.nextWakeAt(limit: concurrency))
            }
            logger.info("scheduler stopping", metadata: ["scheduler.in_flight": "\(queue.inFlight)"])
        }
    }

    private func finished(_ device: String) {
        queue.finish(device, now: .now)
        wake.signal()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
