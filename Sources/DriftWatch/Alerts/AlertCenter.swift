import Baselines
import Foundation
import Logging
import Synchronization

/// Alerting as the watcher sees it (``DriftAlerting``): maps each check to lifecycle events,
/// writes each decision with its outbox messages in one ``StateStore/updateAlert(device:kind:key:_:)``
/// transaction, and wakes the ``OutboxSender``.
///
/// Keys: one drift alert per device (key `drift`), so a changed drift updates the open alert;
/// one alert per device and condition for `unreachable`, `auth_failed`, `stale`,
/// `host_key_changed` (key `condition`) and one `verify_failed` alert per baseline subject.
///
/// A new alert's id is known only after its insert, and its email names the id (the `ack`
/// command, the `Message-ID`): so the insert stores the decided notices in the alert
/// (``AlertDetails/pending``) and a second transaction composes and enqueues them at once. If the
/// process dies in between, ``tick(now:)`` finds the pending notices and enqueues them: the
/// intent to send is committed with the alert either way.
public actor AlertCenter: DriftAlerting {
    /// The store alerts and messages live in.
    public let store: any StateStore
    /// Baseline approvals (who approved the version a drift is measured against).
    public let baselines: BaselineStore
    /// The lifecycle rules.
    public let lifecycle: AlertLifecycle
    /// Renders the messages.
    public let composer: AlertEmailComposer
    /// Maintenance windows.
    public let schedule: MaintenanceSchedule
    /// Signalled after every enqueue.
    public let wakeup: OutboxWakeup
    /// How often ``tick(now:)`` verifies the baseline store (nil: never).
    public let verifyInterval: Duration?
    let devices: [String: DeviceEntry]
    let logger: Logger
    var digest: DigestWindow
    var baselineFacts: [String: BaselineFacts] = [:]
    var lastVerify: Date?
    /// `device|kind|key` of the unresolved alerts, loaded on first use, so that a clean check of a
    /// device without alerts costs no write.
    var unresolved: Set<String>?

    /// Creates alerting over `store`.
    public init(
        configuration: DriftWatchConfiguration, store: any StateStore, baselines: BaselineStore,
        composer: AlertEmailComposer, lifecycle: AlertLifecycle, wakeup: OutboxWakeup,
        verifyInterval: Duration? = .seconds(900), logger: Logger
    ) {
        self.store = store
        self.baselines = baselines
        self.lifecycle = lifecycle
        self.composer = composer
        self.schedule = MaintenanceSchedule(windows: configuration.maintenanceWindows)
        self.wakeup = wakeup
        self.verifyInterval = verifyInterval
        self.devices = Dictionary(configuration.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.digest = DigestWindow(settings: configuration.alerts?.digest)
        self.logger = logger
    }

    /// The key of a device's drift alert.
    public static let driftKey = "drift"
    /// The key of a device's collection-failure and host-key alerts.
    public static let conditionKey = "condition"

    /// Condition alerts a successful collection clears.
    static let clearedByCollection: [AlertKind] = [.unreachable, .stale, .authFailed, .hostKeyChanged]

    // MARK: DriftAlerting

    /// See ``DriftAlerting/deviceChecked(_:device:trigger:changedBy:at:)``.
    public func deviceChecked(
        _ check: DeviceCheck, device: DeviceEntry, trigger: CollectionTrigger, changedBy: String?, at time: Date
    ) async {
        let context = self.context(device.name, version: check.baselineVersion)
        if check.collection == .ok {
            for kind in Self.clearedByCollection {
                guard await isUnresolved(device.name, kind, Self.conditionKey) else { continue }
                await apply(.conditionCleared, device: device.name, kind: kind, key: Self.conditionKey, context: context, at: time)
            }
            switch check.state {
            case .drifted:
                let facts = DriftFacts(
                    delta: check.delta ?? .init(), remediation: check.remediation, findings: check.findings,
                    snapshotID: check.snapshotID, baselineVersion: check.baselineVersion, trigger: trigger.rawValue,
                    changedBy: changedBy, detectedAt: time)
                await observeDrift(facts, device: device.name, inMaintenance: check.inMaintenance, context: context, at: time)
            case .clean:
                guard await isUnresolved(device.name, .drift, Self.driftKey) else { return }
                let approval = context.baseline.map {
                    AlertLifecycle.Approval(version: $0.version, approver: $0.approver, reason: $0.reason, ticket: $0.ticket)
                }
                await apply(
                    .cleanObserved(baselineVersion: check.baselineVersion), device: device.name, kind: .drift,
                    key: Self.driftKey, context: context, at: time
                ) { current, event in
                    // Clean against a newer version than the drift was measured against: approved.
                    let drifted = AlertDetails(json: current?.details ?? "{}").drift?.baselineVersion
                    if let approval, let drifted, approval.version > drifted { return .baselineApproved(approval) }
                    return event
                }
            default:
                break
            }
            return
        }
        switch check.collection {
        case .authFailed:
            await apply(
                .conditionObserved(consecutive: 1, message: check.message), device: device.name, kind: .authFailed,
                key: Self.conditionKey, context: context, at: time)
        case .hostKeyChanged:
            await apply(
                .conditionObserved(consecutive: 1, message: check.message), device: device.name,
                kind: .hostKeyChanged, key: Self.conditionKey, context: context, at: time)
        case .hostKeyUnknown:
            break
        default:
            if check.state == .stale {
                await apply(
                    .conditionObserved(consecutive: 1, message: check.message), device: device.name, kind: .stale,
                    key: Self.conditionKey, context: context, at: time)
            }
            if check.state == .unreachable || check.state == .stale {
                let failures = (try? await store.deviceState(device: device.name))?.consecutiveFailures ?? 1
                await apply(
                    .conditionObserved(consecutive: max(1, failures), message: check.message), device: device.name,
                    kind: .unreachable, key: Self.conditionKey, context: context, at: time)
            }
        }
    }

    /// Verification of the baseline store: a `verify_failed` security alert per subject with
    /// problems, resolved when its chain verifies again.
    public func baselinesVerified(_ issues: [VerificationIssue], at time: Date) async {
        let bySubject = Dictionary(grouping: issues) { issue in
            issue.scope == .baseline ? issue.subject : "standard:\(issue.subject)"
        }
        for (subject, problems) in bySubject.sorted(by: { $0.key < $1.key }) {
            let message = problems.map(\.description).joined(separator: "\n")
            await apply(
                .conditionObserved(consecutive: 1, message: message), device: subject, kind: .verifyFailed,
                key: "verify", context: context(subject, version: nil), at: time)
        }
        let open = (try? await store.alerts(includeResolved: false)) ?? []
        for alert in open where alert.kind == .verifyFailed && bySubject[alert.device] == nil {
            await apply(
                .conditionCleared, device: alert.device, kind: .verifyFailed, key: alert.key,
                context: context(alert.device, version: nil), at: time)
        }
    }

    // MARK: Drift

    func observeDrift(_ facts: DriftFacts, device: String, inMaintenance: Bool, context: AlertContext, at time: Date)
        async
    {
        let ticket = inMaintenance ? nil : digest.admit(device: device, at: time)
        let admission = ticket?.admission ?? .individual
        let opened = await apply(
            .driftObserved(facts, inMaintenance: inMaintenance, admission: admission), device: device, kind: .drift,
            key: Self.driftKey, context: context, at: time)
        if let ticket, !opened { digest.retract(ticket) }
    }

    // MARK: Applying a decision

    /// Decides `event` on the unresolved alert (through `adjust` when the event depends on it),
    /// writes the alert with its messages and wakes the sender. Returns true when the decision
    /// opened the alert for the first time (an individual email or a digest membership).
    @discardableResult
    func apply(
        _ event: AlertLifecycle.Event, device: String, kind: AlertKind, key: String, context: AlertContext,
        at time: Date,
        adjust: @escaping @Sendable (Alert?, AlertLifecycle.Event) -> AlertLifecycle.Event = { $1 }
    ) async -> Bool {
        let lifecycle = self.lifecycle
        let composer = self.composer
        let opened = OpenedFlag()
        do {
            let result = try await store.updateAlert(device: device, kind: kind, key: key) { current in
                guard
                    let decision = lifecycle.decide(
                        current, adjust(current, event), device: device, kind: kind, key: key, at: time)
                else { return nil }
                let details = AlertDetails(json: decision.alert.details)
                let before = AlertDetails(json: current?.details ?? "{}")
                if decision.notices.contains(.opened) || (details.hold == .digest && before.hold != .digest) {
                    opened.set()
                }
                return Self.update(decision, composer: composer, context: context, at: time)
            }
            guard let result else { return opened.value }
            let name = Self.name(device, kind, key)
            if result.alert.status == .resolved {
                unresolved?.remove(name)
            } else {
                unresolved?.insert(name)
            }
            if AlertDetails(json: result.alert.details).pending.isEmpty == false {
                await flushPending(device: device, kind: kind, key: key, context: context, at: time)
            } else if !result.messages.isEmpty {
                wakeup.signal()
            }
            log(result, notices: result.messages.count)
        } catch {
            logger.error(
                "alert update failed",
                metadata: [
                    "device.name": "\(device)", "alert.kind": "\(kind)", "error": "\(error)",
                ])
        }
        return opened.value
    }

    /// Composes a decision's notices into drafts when the alert has an id; otherwise keeps them
    /// pending in the details for ``flushPending(device:kind:key:context:at:)``.
    static func update(
        _ decision: AlertLifecycle.Decision, composer: AlertEmailComposer, context: AlertContext, at time: Date
    ) -> AlertUpdate {
        var alert = decision.alert
        var details = AlertDetails(json: alert.details)
        details.pending += decision.notices
        if alert.messageIDRoot == nil { alert.messageIDRoot = "<\(composer.threadRoot(device: alert.device))>" }
        var drafts: [OutboxDraft] = []
        if let id = alert.id {
            for notice in details.pending {
                details.sequence += 1
                drafts += composer.drafts(
                    notice, alert: alert, alertID: id, sequence: details.sequence, details: details, context: context,
                    at: time)
            }
            details.pending = []
        }
        alert.details = details.json
        return AlertUpdate(alert: alert, messages: drafts, audit: decision.audit)
    }

    /// Enqueues the pending notices of the unresolved alert of `device`, `kind` and `key`.
    func flushPending(device: String, kind: AlertKind, key: String, context: AlertContext, at time: Date) async {
        let composer = self.composer
        do {
            let result = try await store.updateAlert(device: device, kind: kind, key: key) { current in
                guard let current, !AlertDetails(json: current.details).pending.isEmpty else { return nil }
                return Self.update(
                    AlertLifecycle.Decision(alert: current, notices: [], audit: nil), composer: composer,
                    context: context, at: time)
            }
            if let result, !result.messages.isEmpty { wakeup.signal() }
        } catch {
            logger.error(
                "alert messages could not be enqueued",
                metadata: ["device.name": "\(device)", "alert.kind": "\(kind)", "error": "\(error)"])
        }
    }

    func log(_ result: AlertUpdateResult, notices: Int) {
        logger.info(
            "alert updated",
            metadata: [
                "device.name": "\(result.alert.device)", "alert.kind": "\(result.alert.kind)",
                "alert.id": "\(result.alert.id.map(String.init) ?? "?")", "alert.status": "\(result.alert.status.rawValue)",
                "outbox.enqueued": "\(result.messages.count)",
            ])
    }

    // MARK: Unresolved alerts

    static func name(_ device: String, _ kind: AlertKind, _ key: String) -> String { "\(device)|\(kind.rawValue)|\(key)" }

    /// Whether an unresolved alert exists (from the cache; loaded from the store on first use, and
    /// assumed when the store cannot be read).
    func isUnresolved(_ device: String, _ kind: AlertKind, _ key: String) async -> Bool {
        if unresolved == nil {
            guard let alerts = try? await store.alerts(includeResolved: false) else { return true }
            if unresolved == nil { unresolved = Set(alerts.map { Self.name($0.device, $0.kind, $0.key) }) }
        }
        return unresolved?.contains(Self.name(device, kind, key)) ?? true
    }

    // MARK: Context

    /// The device's inventory facts and the approval of `version`.
    func context(_ device: String, version: Int?) -> AlertContext {
        let entry = devices[device]
        return AlertContext(
            platform: entry?.platform, groups: entry?.groups ?? [], baseline: version.flatMap { facts(device, $0) })
    }

    func facts(_ device: String, _ version: Int) -> BaselineFacts? {
        let cacheKey = "\(device)#\(version)"
        if let cached = baselineFacts[cacheKey] { return cached }
        guard let record = try? baselines.version(version, of: device).record else { return nil }
        let facts = BaselineFacts(
            version: record.version, approver: record.approver, approvedAt: record.approvedAt, reason: record.reason,
            ticket: record.ticket)
        baselineFacts[cacheKey] = facts
        return facts
    }
}

/// Set from inside a store transaction's closure, read after it.
final class OpenedFlag: Sendable {
    private let flag = Mutex(false)

    func set() { flag.withLock { $0 = true } }

    var value: Bool { flag.withLock { $0 } }
}
