import Foundation
import ServiceLifecycle

/// What the watcher tells alerting. Alerting decides (value-type lifecycle), writes the alert and
/// its outbox messages in one store transaction, and its own services deliver them.
public protocol DriftAlerting: Sendable {
    /// After every evaluated collection of `device` (any result: clean, drifted, unreachable, …).
    /// `changedBy` is the user a syslog message named, when known. Never throws: failures are
    /// logged and retried on the next check.
    func deviceChecked(
        _ check: DeviceCheck, device: DeviceEntry, trigger: CollectionTrigger, changedBy: String?, at time: Date
    ) async

    /// Called by the watcher about every few seconds: reminders, maintenance windows that closed,
    /// digests whose window ended.
    func tick(now: Date) async
}

/// Alerting as the watcher runs it: the hook, and the services (outbox sender, …) to run in the
/// watcher's `ServiceGroup`.
public struct AlertingComponents: Sendable {
    /// The hook the scheduler calls after each check.
    public var alerting: any DriftAlerting
    /// Long-running parts to add to the service group.
    public var services: [any Service]

    /// Creates components.
    public init(alerting: any DriftAlerting, services: [any Service]) {
        self.alerting = alerting
        self.services = services
    }
}
