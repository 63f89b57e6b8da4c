import Foundation
import Logging

extension WatcherHTTPServer {
    /// Sets the gauges computed from state, just before `/metrics` emits (see the type's
    /// decisions): `driftwatch_devices{state}` and
    /// `driftwatch_oldest_successful_collection_age_seconds` over the inventory's devices
    /// (a device never evaluated counts in no state; the age covers devices with at least one
    /// successful collection, and is 0 while none has one), `driftwatch_queue_depth` from the
    /// queue's due devices.
    func refreshComputedGauges(now: Date) async {
        let queue = await control.queueSnapshot()
        metrics.setQueueDepth(queue.due)
        let inventory = Set(await control.inventory().map(\.name))
        do {
            let states = try await store.deviceStates().filter { inventory.contains($0.device) }
            var counts: [DeviceStatus: Int] = [:]
            for state in states { counts[state.status, default: 0] += 1 }
            metrics.setDeviceCounts(counts)
            let oldest = states.compactMap(\.lastSuccessAt).min()
            metrics.setOldestSuccessfulCollectionAge(seconds: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        } catch {
            logger.warning("cannot refresh the state gauges for /metrics", metadata: ["error": "\(error)"])
        }
    }
}
