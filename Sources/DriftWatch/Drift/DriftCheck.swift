import Baselines
import ConfigDiff
import Foundation
import Logging

/// One pass over devices: collect (``Collector``), evaluate (``DriftEvaluator``), store each
/// device's new ``DeviceState`` (with its ``DriftSummary``) and host-key events. What
/// `driftwatch check` and `collect` run, and what the watcher will run per due device.
///
/// At most `defaults.concurrency` devices are collected at once; one device's failure never
/// stops the others.
public struct DriftCheck: Sendable {
    /// Collects and records runs.
    public let collector: Collector
    /// Compares with baselines and standards.
    public let evaluator: DriftEvaluator
    /// Maintenance windows.
    public let schedule: MaintenanceSchedule
    /// Logs `drift found` at notice level with device metadata.
    public let logger: Logger

    /// Creates a pass from its parts (``OneShotContext`` builds them from `driftwatch.yaml`).
    public init(collector: Collector, evaluator: DriftEvaluator, schedule: MaintenanceSchedule, logger: Logger) {
        self.collector = collector
        self.evaluator = evaluator
        self.schedule = schedule
        self.logger = logger
    }

    /// Checks `devices` with bounded concurrency; results keep the order of `devices`.
    public func run(_ devices: [DeviceEntry], trigger: CollectionTrigger = .manual) async -> CheckReport {
        let checkedAt = Date()
        let limit = max(1, collector.configuration.defaults.concurrency)
        var results = [DeviceCheck?](repeating: nil, count: devices.count)
        await withTaskGroup(of: (Int, DeviceCheck).self) { group in
            var next = 0
            while next < devices.count && next < limit {
                let index = next
                group.addTask { (index, await self.check(devices[index], trigger: trigger)) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < devices.count {
                    let index = next
                    group.addTask { (index, await self.check(devices[index], trigger: trigger)) }
                    next += 1
                }
            }
        }
        return CheckReport(checkedAt: checkedAt, devices: results.compactMap { $0 })
    }

    /// Collects and evaluates one device and stores its state; never throws.
    ///
    /// `changedBy` is the user a syslog config-change message named: it is stored with the run,
    /// the snapshot and the device state, so the drift it caused says who made it. Without one,
    /// a new configuration version clears the previous `changedBy` (nobody is known), and an
    /// unchanged one keeps it.
    public func check(_ device: DeviceEntry, trigger: CollectionTrigger, changedBy: String? = nil) async -> DeviceCheck {
        let store = collector.store
        let collection = await collector.collect(device, trigger: trigger, changedBy: changedBy)
        let now = Date()
        let previous = try? await store.deviceState(device: device.name)
        let inWindow = schedule.contains(now, device: device.name, groups: device.groups)
        var check = DeviceCheck(
            device: device.name, platform: device.platform, state: .unreachable, collection: collection.result,
            message: collection.message, snapshotID: collection.snapshot?.id, attempts: collection.attempts,
            durationMilliseconds: Self.milliseconds(collection.duration), baselineVersion: previous?.baselineVersion,
            inMaintenance: inWindow, delta: nil, remediation: [], findings: [], hint: nil)
        var state = DeviceState(
            device: device.name, status: .unreachable, since: now, lastSuccessAt: previous?.lastSuccessAt,
            lastAttemptAt: now, baselineVersion: previous?.baselineVersion, drift: nil,
            consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1,
            changedBy: changedBy ?? (collection.isNewVersion ? nil : previous?.changedBy),
            inMaintenance: inWindow)
        if collection.result == .ok, let normalized = collection.normalized {
            state.lastSuccessAt = now
            state.consecutiveFailures = 0
            do {
                let evaluation = try evaluator.evaluate(normalized.tree, device: device)
                check.state = evaluation.status
                check.baselineVersion = evaluation.baselineVersion
                check.delta = evaluation.status == .unbaselined ? nil : evaluation.delta
                check.remediation = evaluation.remediation
                check.findings = evaluation.findings.map(DeviceCheck.Finding.init)
                check.hint = evaluation.hint
                state.status = evaluation.status
                state.baselineVersion = evaluation.baselineVersion
                if evaluation.status == .drifted {
                    state.drift = DriftSummary(
                        added: evaluation.delta.addedLines, removed: evaluation.delta.removedLines,
                        standardsViolations: evaluation.findings.count, snapshotID: collection.snapshot?.id,
                        delta: evaluation.delta)
                    var logger = self.logger
                    logger[metadataKey: "device.name"] = "\(device.name)"
                    logger[metadataKey: "device.platform"] = "\(device.platform)"
                    logger.notice(
                        "drift found",
                        metadata: [
                            "baseline.version": "\(evaluation.baselineVersion.map(String.init) ?? "none")",
                            "drift.added": "\(evaluation.delta.addedLines)",
                            "drift.removed": "\(evaluation.delta.removedLines)",
                            "drift.findings": "\(evaluation.findings.count)", "drift.in_maintenance": "\(inWindow)",
                        ])
                }
            } catch {
                check.collection = .error
                check.message =
                    "\(device.name): the configuration was collected but could not be compared with its baseline: \(error)"
                check.state = previous?.status ?? .unbaselined
                return check
            }
        } else {
            switch collection.result {
            case .hostKeyChanged: state.status = .hostKeyChanged
            case .hostKeyUnknown: state.status = .hostKeyUnknown
            default:
                state.status = Self.failureStatus(
                    previous: previous, now: now, interval: collector.configuration.settings(for: device).interval)
            }
            check.state = state.status
            if collection.result == .hostKeyChanged || collection.result == .hostKeyUnknown,
                previous?.status != state.status
            {
                let event = HostKeyEvent(
                    device: device.name, time: now, kind: collection.result == .hostKeyChanged ? .changed : .unknown,
                    oldFingerprint: collection.expectedFingerprint, newFingerprint: collection.presentedFingerprint)
                let audit =
                    collection.result == .hostKeyChanged
                    ? AuditEntry(
                        actor: "driftwatch", action: HostKeyAuditAction.changed, target: device.name,
                        details: [
                            "expected": collection.expectedFingerprint ?? "",
                            "presented": collection.presentedFingerprint ?? "",
                        ], time: now) : nil
                _ = try? await store.recordHostKeyEvent(event, audit: audit)
            }
        }
        if let previous, previous.status == state.status { state.since = previous.since }
        do {
            try await store.saveDeviceState(state)
        } catch {
            check.collection = .error
            check.message =
                "\(device.name): the device state could not be stored (\(error)); check \(collector.configuration.state)."
        }
        return check
    }

    /// The state of a device whose collection failed (not for a host-key reason): `stale` when
    /// it had no good collection for ``Staleness/intervals`` intervals (counted from its last
    /// success, or, when it never had one, from when it became unreachable), else `unreachable`.
    public static func failureStatus(previous: DeviceState?, now: Date, interval: Duration) -> DeviceStatus {
        guard let previous else { return .unreachable }
        if let last = previous.lastSuccessAt {
            return Staleness.isStale(lastSuccessAt: last, now: now, interval: interval) ? .stale : .unreachable
        }
        switch previous.status {
        case .stale: return .stale
        case .unreachable:
            return Staleness.isStale(lastSuccessAt: previous.since, now: now, interval: interval) ? .stale : .unreachable
        default: return .unreachable
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
