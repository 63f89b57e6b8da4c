import Foundation

/// The alert lifecycle as a value: given the unresolved alert (or nil) and an event, it returns
/// the alert to store and the notices to send, or nil when nothing changes. No I/O and no clock:
/// the time comes with the call.
///
/// States: *open* (notified or held), *acknowledged* (no reminders), *resolved* (final; the
/// next drift opens a new alert). Drift alerts are keyed per device, so a changed drift is an
/// ``AlertNotice/updated`` of the one open alert, and the same drift (same
/// ``DriftFacts/contentHash``) seen again is a no-op.
///
/// Holds: a drift found inside a maintenance window opens the alert without a message
/// (``AlertDetails/Hold/maintenance``); ``Event/maintenanceClosed(admission:)`` (or a check
/// outside the window with the drift unchanged) sends the held opening. A drift admitted into a
/// digest batch (``Admission/digest(batch:)``) opens without its own email; ``Event/digestSent``
/// marks it notified. A held alert that resolves before its hold ends sends nothing at all.
public struct AlertLifecycle: Sendable, Hashable {
    /// Consecutive failed collections before an `unreachable` alert opens (default 3).
    public var unreachableThreshold: Int
    /// Remind after an alert stays open (not acknowledged) this long; nil: never.
    public var reminderAfter: Duration?

    /// Creates a lifecycle.
    public init(unreachableThreshold: Int = 3, reminderAfter: Duration? = nil) {
        self.unreachableThreshold = max(1, unreachableThreshold)
        self.reminderAfter = reminderAfter
    }

    /// Whether an opening drift email goes out alone or joins a digest batch (decided by
    /// ``DigestWindow`` before the event).
    public enum Admission: Sendable, Hashable {
        /// An individual opening email.
        case individual
        /// Listed in the digest of the batch that started at this time (milliseconds since 1970).
        case digest(batch: Int64)
    }

    /// A baseline approval that resolves a drift alert.
    public struct Approval: Sendable, Hashable {
        /// The approved version.
        public var version: Int
        /// Who approved it.
        public var approver: String
        /// Why.
        public var reason: String
        /// The change ticket, when given.
        public var ticket: String?

        /// Creates an approval.
        public init(version: Int, approver: String, reason: String, ticket: String? = nil) {
            self.version = version
            self.approver = approver
            self.reason = reason
            self.ticket = ticket
        }
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        /// A check found drift with these facts.
        case driftObserved(DriftFacts, inMaintenance: Bool, admission: Admission)
        /// A check found the configuration back to the baseline it drifted from.
        case cleanObserved(baselineVersion: Int?)
        /// A check found the configuration matching a newly approved baseline.
        case baselineApproved(Approval)
        /// Time passed: a reminder may be due.
        case reminderDue
        /// Someone acknowledged the alert.
        case acknowledged(by: String)
        /// The device's maintenance window closed.
        case maintenanceClosed(admission: Admission)
        /// The alert was listed in a digest that was enqueued.
        case digestSent
        /// A collection failure or security condition was observed: `unreachable` (with the
        /// count of consecutive failures), `auth_failed`, `stale`, `host_key_changed`,
        /// `verify_failed`. `message` is masked text (what failed, or the fingerprints).
        case conditionObserved(consecutive: Int, message: String?)
        /// The condition ended: a collection succeeded, the host key was trusted, verify passed.
        case conditionCleared
    }

    /// What to store and send.
    public struct Decision: Sendable, Hashable {
        /// The alert as it should be stored.
        public var alert: Alert
        /// The notices to compose into messages, in order.
        public var notices: [AlertNotice]
        /// An audit record to write with the change.
        public var audit: AuditEntry?
    }

    /// The decision for `event` on `current` (the unresolved alert of `device`, `kind` and `key`,
    /// or nil); nil when nothing changes (dedup, or an event that does not apply).
    public func decide(
        _ current: Alert?, _ event: Event, device: String, kind: AlertKind, key: String, at now: Date
    ) -> Decision? {
        if let current, current.status == .resolved { return nil }
        switch event {
        case .driftObserved(let facts, let inMaintenance, let admission):
            return drift(current, facts, inMaintenance: inMaintenance, admission: admission, device: device, key: key, now)
        case .cleanObserved(let version):
            return resolve(current, AlertResolution(kind: .reverted, version: version), now)
        case .baselineApproved(let approval):
            return resolve(
                current,
                AlertResolution(
                    kind: .approved, version: approval.version, approver: approval.approver, reason: approval.reason,
                    ticket: approval.ticket), now)
        case .reminderDue:
            return remind(current, now)
        case .acknowledged(let name):
            guard var alert = current, alert.status == .open else { return nil }
            alert.status = .acknowledged
            alert.acknowledgedBy = name
            alert.acknowledgedAt = now
            alert.updatedAt = now
            let audit = AuditEntry(
                actor: name, action: StateAuditAction.alertAcknowledge, target: alert.device,
                details: ["alert": alert.id.map(String.init) ?? "", "kind": alert.kind.rawValue, "key": alert.key],
                time: now)
            return Decision(alert: alert, notices: [], audit: audit)
        case .maintenanceClosed(let admission):
            guard let alert = current else { return nil }
            return release(alert, admission: admission, now)
        case .digestSent:
            guard var alert = current else { return nil }
            var details = AlertDetails(json: alert.details)
            guard details.hold == .digest else { return nil }
            details.hold = nil
            details.heldNotice = nil
            details.notified = true
            alert.details = details.json
            return Decision(alert: alert, notices: [], audit: nil)
        case .conditionObserved(let consecutive, let message):
            return condition(current, consecutive: consecutive, message: message, device: device, kind: kind, key: key, now)
        case .conditionCleared:
            return resolve(current, AlertResolution(kind: .recovered), now)
        }
    }

    private func drift(
        _ current: Alert?, _ facts: DriftFacts, inMaintenance: Bool, admission: Admission, device: String,
        key: String, _ now: Date
    ) -> Decision? {
        let hash = facts.contentHash
        guard var alert = current else {
            var details = AlertDetails()
            details.hash = hash
            details.drift = facts
            var notices: [AlertNotice] = []
            if inMaintenance {
                details.hold = .maintenance
                details.heldNotice = .opened
            } else if case .digest(let batch) = admission {
                details.hold = .digest
                details.heldNotice = .opened
                details.digestBatch = batch
            } else {
                details.notified = true
                notices = [.opened]
            }
            let alert = Alert(device: device, kind: .drift, key: key, openedAt: now, details: details.json)
            return Decision(alert: alert, notices: notices, audit: nil)
        }
        var details = AlertDetails(json: alert.details)
        if details.hash == hash {
            // The same drift again: nothing, unless a maintenance hold has ended meanwhile.
            guard details.hold == .maintenance, !inMaintenance else { return nil }
            return release(alert, admission: admission, now)
        }
        details.hash = hash
        details.drift = facts
        alert.updatedAt = now
        var notices: [AlertNotice] = []
        if !details.notified {
            // Never announced: it stays held; a maintenance hold ends when the window has.
            if details.hold == .maintenance && !inMaintenance {
                alert.details = details.json
                return release(alert, admission: admission, now) ?? Decision(alert: alert, notices: [], audit: nil)
            }
        } else if inMaintenance {
            details.hold = .maintenance
            details.heldNotice = .updated
        } else {
            details.hold = nil
            details.heldNotice = nil
            notices = [.updated]
        }
        alert.details = details.json
        return Decision(alert: alert, notices: notices, audit: nil)
    }

    private func release(_ current: Alert, admission: Admission, _ now: Date) -> Decision? {
        var alert = current
        var details = AlertDetails(json: alert.details)
        guard details.hold == .maintenance else { return nil }
        let notice = details.heldNotice ?? .opened
        details.heldNotice = nil
        details.hold = nil
        var notices: [AlertNotice] = [notice]
        if notice == .opened, case .digest(let batch) = admission {
            details.hold = .digest
            details.heldNotice = .opened
            details.digestBatch = batch
            notices = []
        } else {
            details.notified = true
        }
        alert.updatedAt = now
        alert.details = details.json
        return Decision(alert: alert, notices: notices, audit: nil)
    }

    private func resolve(_ current: Alert?, _ resolution: AlertResolution, _ now: Date) -> Decision? {
        guard var alert = current else { return nil }
        var details = AlertDetails(json: alert.details)
        let announce = details.notified
        details.resolution = resolution
        details.hold = nil
        details.heldNotice = nil
        alert.status = .resolved
        alert.resolvedAt = now
        alert.updatedAt = now
        alert.details = details.json
        return Decision(alert: alert, notices: announce ? [.resolved] : [], audit: nil)
    }

    private func remind(_ current: Alert?, _ now: Date) -> Decision? {
        guard var alert = current, alert.status == .open, let after = reminderAfter else { return nil }
        var details = AlertDetails(json: alert.details)
        guard details.notified, details.hold == nil else { return nil }
        let since = details.lastReminderAt ?? alert.lastNotifiedAt ?? alert.openedAt
        let seconds = Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18
        guard now.timeIntervalSince(since) >= seconds else { return nil }
        details.lastReminderAt = now
        details.reminders += 1
        alert.details = details.json
        return Decision(alert: alert, notices: [.reminded], audit: nil)
    }

    private func condition(
        _ current: Alert?, consecutive: Int, message: String?, device: String, kind: AlertKind, key: String,
        _ now: Date
    ) -> Decision? {
        guard var alert = current else {
            if kind == .unreachable && consecutive < unreachableThreshold { return nil }
            var details = AlertDetails()
            details.failures = consecutive
            details.failure = message
            details.notified = true
            let alert = Alert(device: device, kind: kind, key: key, openedAt: now, details: details.json)
            return Decision(alert: alert, notices: [.opened], audit: nil)
        }
        var details = AlertDetails(json: alert.details)
        let security = kind == .hostKeyChanged || kind == .verifyFailed
        if security, let message, message != details.failure {
            // A different key or a different verify failure: tell again.
            details.failure = message
            details.failures = consecutive
            alert.updatedAt = now
            alert.details = details.json
            return Decision(alert: alert, notices: [.updated], audit: nil)
        }
        guard details.failures != consecutive else { return nil }
        details.failures = consecutive
        if let message { details.failure = message }
        alert.details = details.json
        return Decision(alert: alert, notices: [], audit: nil)
    }
}
