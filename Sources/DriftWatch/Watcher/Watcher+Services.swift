import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

extension Watcher {
    /// Requests older than this when the watcher takes them were made while no watcher ran:
    /// they are answered `failed` (expired) instead of acted on.
    static let controlRequestLifetime: TimeInterval = 300

    /// Every ``WatcherOptions/housekeepingInterval``: alerting's tick and the queue-depth gauge;
    /// every ``WatcherOptions/stateScanInterval``: stale detection, device counts and the oldest
    /// good collection's age; every ``WatcherOptions/auditPruneInterval`` (first at start):
    /// audit retention.
    func housekeeping() async {
        var lastScan: ContinuousClock.Instant?
        var lastPrune: ContinuousClock.Instant?
        repeat {
            let now = Date()
            let instant = ContinuousClock.now
            await alerting?.alerting.tick(now: now)
            metrics.setQueueDepth(await scheduler.snapshot().due)
            if lastScan.map({ $0.duration(to: instant) >= options.stateScanInterval }) ?? true {
                lastScan = instant
                await scanStates(now: now)
            }
            if lastPrune.map({ $0.duration(to: instant) >= options.auditPruneInterval }) ?? true {
                lastPrune = instant
                do {
                    let result = try await store.pruneAudit(now: now)
                    logger.debug("audit retention applied", metadata: ["audit.prune": "\(result)"])
                } catch {
                    logger.error("audit retention failed", metadata: ["error": "\(error)"])
                }
            }
        } while await WatcherTask.pause(options.housekeepingInterval)
    }

    /// Marks `stale` the devices with no good collection for 3 intervals that are not being
    /// collected now (a device whose collections keep failing, or never finish), and updates
    /// the state gauges.
    func scanStates(now: Date) async {
        let states: [DeviceState]
        do {
            states = try await store.deviceStates()
        } catch {
            logger.error("device states could not be read", metadata: ["error": "\(error)"])
            return
        }
        let (configuration, devices) = live.withLock { ($0.configuration, $0.devices) }
        var counts: [DeviceStatus: Int] = [:]
        var oldest: Date?
        for var state in states {
            guard let device = devices[state.device] else { continue }
            let interval = configuration.settings(for: device).interval
            let noRecentSuccess =
                [.clean, .drifted, .unbaselined].contains(state.status)
                && Staleness.isStale(lastSuccessAt: state.lastSuccessAt, now: now, interval: interval)
            let failing =
                state.status == .unreachable
                && DriftCheck.failureStatus(previous: state, now: now, interval: interval) == .stale
            if noRecentSuccess || failing, !(await scheduler.isInFlight(state.device)) {
                state.status = .stale
                state.since = now
                do {
                    try await store.saveDeviceState(state)
                    logger.warning(
                        "device is stale: no good collection for 3 intervals",
                        metadata: ["device.name": "\(device.name)", "device.platform": "\(device.platform)"])
                } catch {
                    logger.error("device state could not be stored", metadata: ["error": "\(error)"])
                }
            }
            counts[state.status, default: 0] += 1
            if let last = state.lastSuccessAt { oldest = min(oldest ?? last, last) }
        }
        metrics.setDeviceCounts(counts)
        if let oldest { metrics.setOldestSuccessfulCollectionAge(seconds: now.timeIntervalSince(oldest)) }
    }

    /// Every ``WatcherOptions/controlPollInterval``: acts on the CLI's requests (`collect`,
    /// `baseline approve`, `reload`) and answers them.
    func pollControlRequests() async {
        repeat {
            let requests: [ControlRequest]
            do {
                requests = try await store.takeControlRequests()
            } catch {
                logger.error("control requests could not be read", metadata: ["error": "\(error)"])
                continue
            }
            for request in requests { await handle(request) }
        } while await WatcherTask.pause(options.controlPollInterval)
    }

    func handle(_ request: ControlRequest) async {
        var failed = false
        var response: String
        if Date().timeIntervalSince(request.requestedAt) > Self.controlRequestLifetime {
            failed = true
            response = "expired: the request was made while no watcher ran"
        } else {
            switch request.kind {
            case .trigger(let device, let reason, let user):
                do {
                    try await trigger(device: device, reason: reason, user: user)
                    response = "queued"
                } catch {
                    failed = true
                    response = "\(error)"
                }
            case .reload(let requestedBy):
                do {
                    let summary = try await reload(requestedBy: requestedBy)
                    response = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
                } catch {
                    failed = true
                    response = "\(error)"
                }
            }
        }
        do {
            try await store.completeControlRequest(id: request.id, failed: failed, response: response)
        } catch {
            logger.error("control request could not be answered", metadata: ["error": "\(error)"])
        }
    }

    /// Reloads on each SIGHUP until graceful shutdown.
    func reloadOnSIGHUP() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                _ = try await reload(requestedBy: "SIGHUP")
            } catch {
                logger.error("reload on SIGHUP failed; the running configuration stays", metadata: ["error": "\(error)"])
            }
        }
    }
}
