import Foundation

/// The scheduler's due-queue: which device is collected next, as a value type with no clock and
/// no I/O (every call takes `now`), so its rules are tested on their own.
///
/// Rules:
/// - Every device is in exactly one place: waiting in the queue, or in flight.
/// - Two min-heaps keyed by due time: *triggered* devices (syslog, `collect`, approval) and
///   *polled* ones. ``next(now:limit:)`` takes a due triggered device before any due polled one:
///   triggers jump the queue. Among polled devices the one due longest goes first (fairness
///   under backlog).
/// - The first round is spread uniformly over `min(interval, firstRoundWindow)`, so thousands of
///   devices never start at once; afterwards a device is due `interval ± jitter` after the
///   *start* of its previous collection (jitter: ``jitterFraction`` of the interval, at most
///   ``maxJitter``).
/// - At most `limit` collections are in flight, and at most `groups.<name>.concurrency` of a
///   limited group's devices (``setGroupLimits(_:)``). A due device whose group is full is
///   *parked* in that group's own heaps (its due time and place in line kept) and comes back
///   first when one of the group's collections ends; it never blocks devices of other groups.
/// - Debounce: a trigger is due ``debounce`` after the first trigger of a burst; more triggers
///   for a device already triggered merge into it (the latest user named wins). A trigger for a
///   device in flight books exactly one follow-up run, due as soon as the current run ends: the
///   change may have happened after the capture began.
/// - Heaps use lazy deletion: each device has a generation, and entries of an older generation
///   are skipped and compacted away.
///
/// - ``nextWakeAt(limit:)`` is nil while `limit` collections run: the scheduler then sleeps
///   until one ends, instead of waking for an overdue device it cannot start.
///
/// Memory: one dictionary slot and at most a few heap entries per device (about 150 bytes).
public struct DueQueue: Sendable {
    /// What is due: a device and why.
    public struct Job: Sendable, Hashable {
        /// The device.
        public var device: String
        /// What started it.
        public var reason: CollectionTrigger
        /// The user a syslog message (or a CLI request) named, if any.
        public var user: String?
    }

    /// What a trigger did.
    public enum TriggerOutcome: Sendable, Hashable {
        /// The device was moved to the front of the queue.
        case queued
        /// The device was already triggered; this trigger merged into it.
        case merged
        /// The device is being collected; one follow-up run is booked after it.
        case followUp
        /// The device is not scheduled.
        case unknownDevice
    }

    struct Pending: Sendable, Hashable {
        var reason: CollectionTrigger
        var user: String?

        mutating func merge(_ other: Pending) {
            reason = other.reason
            if let user = other.user { self.user = user }
        }
    }

    enum Place: Sendable, Hashable {
        case polled(due: ContinuousClock.Instant)
        case triggered(due: ContinuousClock.Instant, Pending)
        case inFlight(startedAt: ContinuousClock.Instant, followUp: Pending?)
    }

    struct Slot: Sendable {
        var interval: Duration
        var place: Place
        var generation: UInt32
        /// The device's limited groups (indices into ``groupNames``).
        var groups: [Int] = []
        /// The limited groups the run in flight counts against (kept apart from ``groups`` so a
        /// reload during the run releases what the run took).
        var runningGroups: [Int] = []
    }

    struct Entry: Sendable {
        var due: ContinuousClock.Instant
        var sequence: UInt64
        var device: String
        var generation: UInt32

        func before(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    /// Jitter as a fraction of the interval (default 0.1: ±10 %).
    public let jitterFraction: Double
    /// The largest jitter, whatever the interval.
    public let maxJitter: Duration
    /// How long a trigger waits for more triggers of the same burst.
    public let debounce: Duration
    /// The first round is spread over at most this long.
    public let firstRoundWindow: Duration

    private(set) var slots: [String: Slot] = [:]
    /// The heaps: ``triggeredHeap`` (index 0) and ``polledHeap`` (index 1), then two per limited
    /// group for the devices parked while it is full (``parkedHeap(group:kind:)``).
    private var heaps = [Heap(), Heap()]
    private static let triggeredHeap = 0
    private static let polledHeap = 1
    /// Limited groups, by index: their names, limits and collections in flight.
    private var groupNames: [String] = []
    private var groupIndex: [String: Int] = [:]
    private var groupLimit: [Int] = []
    private(set) var groupInFlight: [Int] = []
    private var sequence: UInt64 = 0
    private var random: SplitMix64
    /// Collections in flight.
    public private(set) var inFlight = 0

    /// An empty queue. `seed` makes the jitter reproducible (tests).
    public init(
        jitterFraction: Double = 0.1, maxJitter: Duration = .seconds(60), debounce: Duration = .seconds(1),
        firstRoundWindow: Duration = .seconds(60), seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) {
        self.jitterFraction = max(0, min(0.5, jitterFraction))
        self.maxJitter = maxJitter
        self.debounce = debounce
        self.firstRoundWindow = firstRoundWindow
        self.random = SplitMix64(seed: seed)
    }

    // MARK: Devices

    /// The devices scheduled (waiting or in flight).
    public var count: Int { slots.count }

    /// Whether `device` is scheduled.
    public func contains(_ device: String) -> Bool { slots[device] != nil }

    /// Schedules a new device for its first round (spread over the first-round window); a device
    /// already scheduled only gets its new interval and groups. `groups` are the device's groups;
    /// those with a limit (``setGroupLimits(_:)``) bound how many of their devices run at once.
    public mutating func add(
        _ device: String, interval: Duration, groups: [String] = [], now: ContinuousClock.Instant
    ) {
        let indices = limitedGroups(groups)
        if slots[device] != nil {
            slots[device]?.interval = interval
            slots[device]?.groups = indices
            return
        }
        let window = min(interval, firstRoundWindow)
        let due = now.advanced(by: uniform(.zero, window))
        slots[device] = Slot(interval: interval, place: .polled(due: due), generation: 0, groups: indices)
        push(Self.polledHeap, device: device, due: due, generation: 0)
    }

    /// Sets the per-group concurrency limits (group name → at most that many of its devices in
    /// flight). A group left out has no limit any more; its parked devices run as the global
    /// limit allows. Devices added before keep their group names: call ``add(_:interval:groups:now:)``
    /// again (as ``Scheduler/schedule(_:concurrency:groupLimits:)`` does) to re-map them.
    public mutating func setGroupLimits(_ limits: [String: Int]) {
        for index in groupLimit.indices { groupLimit[index] = .max }
        for (name, limit) in limits.sorted(by: { $0.key < $1.key }) {
            let index: Int
            if let known = groupIndex[name] {
                index = known
            } else {
                index = groupNames.count
                groupNames.append(name)
                groupIndex[name] = index
                groupLimit.append(.max)
                groupInFlight.append(0)
                heaps.append(Heap())
                heaps.append(Heap())
            }
            groupLimit[index] = max(1, limit)
        }
    }

    /// The collections of `group` in flight now (0 for a group without a limit).
    public func inFlight(group: String) -> Int {
        groupIndex[group].map { groupInFlight[$0] } ?? 0
    }

    private func limitedGroups(_ names: [String]) -> [Int] {
        var seen: Set<Int> = []
        return names.compactMap { groupIndex[$0] }.filter { groupLimit[$0] != .max && seen.insert($0).inserted }
    }

    private func hasRoom(_ group: Int) -> Bool { groupInFlight[group] < groupLimit[group] }

    private static func parkedHeap(group: Int, kind: Int) -> Int { 2 + 2 * group + kind }

    /// Changes a device's interval; a waiting polled device is re-timed from now when its new
    /// interval is shorter than the wait.
    public mutating func setInterval(_ device: String, interval: Duration, now: ContinuousClock.Instant) {
        guard var slot = slots[device] else { return }
        slot.interval = interval
        if case .polled(let due) = slot.place, due > now.advanced(by: interval) {
            slot.generation &+= 1
            let newDue = now.advanced(by: uniform(.zero, interval))
            slot.place = .polled(due: newDue)
            push(Self.polledHeap, device: device, due: newDue, generation: slot.generation)
        }
        slots[device] = slot
    }

    /// Drops a device. One in flight finishes, and is then forgotten.
    public mutating func remove(_ device: String) {
        guard let slot = slots.removeValue(forKey: device) else { return }
        if case .inFlight = slot.place { removedInFlight[device] = slot.runningGroups }
        compactIfNeeded()
    }

    /// Devices removed while in flight, with the limited groups their run counts against.
    private var removedInFlight: [String: [Int]] = [:]

    // MARK: Triggers

    /// Moves `device` to the front of the queue, debounced (see the type's rules).
    @discardableResult
    public mutating func trigger(
        _ device: String, reason: CollectionTrigger, user: String?, now: ContinuousClock.Instant
    ) -> TriggerOutcome {
        guard var slot = slots[device] else { return .unknownDevice }
        let pending = Pending(reason: reason, user: user)
        switch slot.place {
        case .triggered(let due, var existing):
            existing.merge(pending)
            slot.place = .triggered(due: due, existing)
            slots[device] = slot
            return .merged
        case .inFlight(let startedAt, let followUp):
            var merged = followUp ?? pending
            if followUp != nil { merged.merge(pending) }
            slot.place = .inFlight(startedAt: startedAt, followUp: merged)
            slots[device] = slot
            return followUp == nil ? .followUp : .merged
        case .polled:
            slot.generation &+= 1
            let due = now.advanced(by: debounce)
            slot.place = .triggered(due: due, pending)
            slots[device] = slot
            push(Self.triggeredHeap, device: device, due: due, generation: slot.generation)
            return .queued
        }
    }

    // MARK: Running

    /// The next job due at `now`, triggered devices first, or nil when nothing is due or `limit`
    /// collections are already in flight. The device is in flight afterwards.
    public mutating func next(now: ContinuousClock.Instant, limit: Int) -> Job? {
        guard inFlight < max(1, limit) else { return nil }
        if let job = take(kind: Self.triggeredHeap, now: now) { return job }
        return take(kind: Self.polledHeap, now: now)
    }

    /// A collection of `device` ended at `now`. Its next poll is due `interval ± jitter` after
    /// the run started (not before `now`), or right away when a trigger arrived during the run.
    public mutating func finish(_ device: String, now: ContinuousClock.Instant) {
        if let groups = removedInFlight.removeValue(forKey: device) {
            inFlight -= 1
            for group in groups { groupInFlight[group] -= 1 }
            return
        }
        guard var slot = slots[device], case .inFlight(let startedAt, let followUp) = slot.place else { return }
        inFlight -= 1
        for group in slot.runningGroups { groupInFlight[group] -= 1 }
        slot.runningGroups = []
        slot.generation &+= 1
        if let followUp {
            slot.place = .triggered(due: now, followUp)
            push(Self.triggeredHeap, device: device, due: now, generation: slot.generation)
        } else {
            let due = max(now, startedAt.advanced(by: slot.interval + jitter(for: slot.interval)))
            slot.place = .polled(due: due)
            push(Self.polledHeap, device: device, due: due, generation: slot.generation)
        }
        slots[device] = slot
    }

    /// When the earliest waiting device falls due (nil when none waits).
    public mutating func nextDueAt() -> ContinuousClock.Instant? {
        let first = peek(Self.triggeredHeap)
        let second = peek(Self.polledHeap)
        switch (first, second) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        default: return nil
        }
    }

    /// When the scheduler should look again with `limit` collections allowed: nil while `limit`
    /// run (a finished one wakes it), else the earliest due time among waiting devices and the
    /// devices parked in groups that have room (those are due already).
    public mutating func nextWakeAt(limit: Int) -> ContinuousClock.Instant? {
        guard inFlight < max(1, limit) else { return nil }
        var earliest: ContinuousClock.Instant?
        for heap in candidateHeaps(kind: Self.triggeredHeap) + candidateHeaps(kind: Self.polledHeap) {
            if let due = peek(heap) { earliest = earliest.map { min($0, due) } ?? due }
        }
        return earliest
    }

    /// Devices waiting whose due time has come (a scan: for status, not for the hot path).
    public func dueCount(now: ContinuousClock.Instant) -> Int {
        slots.values.reduce(0) { count, slot in
            switch slot.place {
            case .polled(let due), .triggered(let due, _): return due <= now ? count + 1 : count
            case .inFlight: return count
            }
        }
    }

    /// Whether `device` is in flight now.
    public func isInFlight(_ device: String) -> Bool {
        if case .inFlight = slots[device]?.place { return true }
        return false
    }

    /// When `device` is due, when it waits.
    public func due(_ device: String) -> ContinuousClock.Instant? {
        switch slots[device]?.place {
        case .polled(let due)?, .triggered(let due, _)?: return due
        default: return nil
        }
    }

    // MARK: Internals

    /// The heaps `next` may take a `kind` job from: the main one, and the parked heaps of the
    /// limited groups that have room.
    private func candidateHeaps(kind: Int) -> [Int] {
        [kind] + groupNames.indices.filter(hasRoom).map { Self.parkedHeap(group: $0, kind: kind) }
    }

    /// The first due `kind` job (triggered or polled) whose limited groups all have room; due
    /// devices of a full group are parked in that group's heap on the way.
    private mutating func take(kind: Int, now: ContinuousClock.Instant) -> Job? {
        while true {
            var best: (heap: Int, entry: Entry)?
            for heap in candidateHeaps(kind: kind) {
                guard peek(heap) != nil, let top = heaps[heap].top, top.due <= now else { continue }
                if best.map({ top.before($0.entry) }) ?? true { best = (heap, top) }
            }
            guard let (heap, top) = best, let slot = slots[top.device] else { return nil }
            heaps[heap].pop()
            if let full = slot.groups.first(where: { !hasRoom($0) }) {
                heaps[Self.parkedHeap(group: full, kind: kind)].push(top)
                continue
            }
            var updated = slot
            updated.generation &+= 1
            updated.place = .inFlight(startedAt: now, followUp: nil)
            updated.runningGroups = slot.groups
            for group in slot.groups { groupInFlight[group] += 1 }
            slots[top.device] = updated
            inFlight += 1
            switch slot.place {
            case .triggered(_, let pending): return Job(device: top.device, reason: pending.reason, user: pending.user)
            default: return Job(device: top.device, reason: .poll, user: nil)
            }
        }
    }

    private mutating func peek(_ heap: Int) -> ContinuousClock.Instant? {
        while let top = heaps[heap].top {
            if let slot = slots[top.device], slot.generation == top.generation { return top.due }
            heaps[heap].pop()
        }
        return nil
    }

    private mutating func push(_ heap: Int, device: String, due: ContinuousClock.Instant, generation: UInt32) {
        sequence &+= 1
        heaps[heap].push(Entry(due: due, sequence: sequence, device: device, generation: generation))
        compactIfNeeded()
    }

    private mutating func compactIfNeeded() {
        let live = slots
        for index in heaps.indices where heaps[index].count > 2 * live.count + 64 {
            heaps[index].retain { live[$0.device]?.generation == $0.generation }
        }
    }

    /// `interval ± jitter`, the jitter bounded by ``jitterFraction`` and ``maxJitter``.
    mutating func jitter(for interval: Duration) -> Duration {
        let bound = min(interval * jitterFraction, maxJitter)
        guard bound > .zero else { return .zero }
        return uniform(.zero - bound, bound)
    }

    /// A uniform duration in `[low, high)` (`low` when the range is empty).
    private mutating func uniform(_ low: Duration, _ high: Duration) -> Duration {
        guard high > low else { return low }
        let fraction = Double(random.next() >> 11) / Double(1 << 53)
        return low + (high - low) * fraction
    }

    /// A binary min-heap of entries.
    struct Heap: Sendable {
        private(set) var items: [Entry] = []

        var count: Int { items.count }
        var top: Entry? { items.first }

        mutating func push(_ entry: Entry) {
            items.append(entry)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[child].before(items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        @discardableResult
        mutating func pop() -> Entry? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let last = items.removeLast()
            siftDown(from: 0)
            return last
        }

        mutating func retain(_ keep: (Entry) -> Bool) {
            items.removeAll { !keep($0) }
            for index in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
        }

        private mutating func siftDown(from start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count, items[left].before(items[smallest]) { smallest = left }
                if right < items.count, items[right].before(items[smallest]) { smallest = right }
                if smallest == parent { return }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
}
