import Foundation

/// The watcher's durable state: snapshots, collection runs, device states, alerts and their
/// outbox, host-key events, the audit log and work leases.
///
/// ``SQLiteStateStore`` is the one implementation today; the protocol names no SQL type so that
/// a PostgreSQL store can follow for several watchers. Every method is one transaction: a crash
/// leaves either all of its rows or none. Every text that enters is already normalized and
/// masked (``SnapshotContent`` can only be made from a `NormalizedConfig`; error messages,
/// outbox bodies and audit details are masked by their producers).
///
/// Times are passed in, so that tests and the scheduler share one clock; the store keeps
/// millisecond precision (audit records: seconds, as in the JSON-lines log).
public protocol StateStore: Sendable {
    // MARK: Collections and snapshots

    /// Stores one collection: its run row, its snapshot when it succeeded (content-addressed;
    /// an unchanged configuration only bumps the latest snapshot's `lastSeenAt`), the device's
    /// new state when given, and deletes the device's runs beyond the retention bound.
    func recordCollection(_ report: CollectionReport, deviceState: DeviceState?) async throws -> CollectionOutcome

    /// A snapshot with its text, or nil.
    func snapshot(id: Int64) async throws -> StoredSnapshot?

    /// The device's latest snapshot with its text, or nil when it was never collected.
    func latestSnapshot(device: String) async throws -> StoredSnapshot?

    /// The device's snapshots (distinct consecutive versions), newest first.
    func snapshots(device: String, limit: Int) async throws -> [SnapshotInfo]

    /// The device's collection runs, newest first.
    func collectionRuns(device: String, limit: Int) async throws -> [CollectionRun]

    // MARK: Device state

    /// Replaces a device's state.
    func saveDeviceState(_ state: DeviceState) async throws

    /// A device's state, or nil before its first evaluation.
    func deviceState(device: String) async throws -> DeviceState?

    /// Every device's state, by device name.
    func deviceStates() async throws -> [DeviceState]

    // MARK: Host keys

    /// Stores a host-key event, with an audit record in the same transaction when given.
    @discardableResult
    func recordHostKeyEvent(_ event: HostKeyEvent, audit: AuditEntry?) async throws -> HostKeyEvent

    /// Host-key events, newest first; all devices when `device` is nil.
    func hostKeyEvents(device: String?, limit: Int) async throws -> [HostKeyEvent]

    // MARK: Alerts and outbox

    /// Reads the unresolved alert for `device`, `kind` and `key` (nil when there is none) and
    /// gives it to `decide`; writes what it returns (the alert, its messages, an audit record)
    /// in the same transaction. Nothing is written when `decide` returns nil or throws.
    func updateAlert(
        device: String, kind: AlertKind, key: String, _ decide: @escaping @Sendable (Alert?) throws -> AlertUpdate?
    ) async throws -> AlertUpdateResult?

    /// Acknowledges an unresolved alert and appends the audit record, in one transaction.
    /// - Throws: `.notFound` for an unknown id, `.conflict` for a resolved alert.
    func acknowledgeAlert(id: Int64, by actor: String, at time: Date) async throws -> Alert

    /// An alert by id.
    func alert(id: Int64) async throws -> Alert?

    /// Alerts, newest first; resolved ones only when asked.
    func alerts(includeResolved: Bool) async throws -> [Alert]

    /// Claims the next due pending message (`nextAttemptAt <= now`, not claimed by a live claim)
    /// for `claimSeconds`, counting one attempt. A claim that is neither marked sent nor failed
    /// (the sender crashed) expires, and the message is sent again with the same `Message-ID`.
    func claimNextDueMessage(now: Date, claimSeconds: Double) async throws -> OutboxMessage?

    /// Marks a message delivered and sets its alert's `lastNotifiedAt`.
    func markSent(messageID id: Int64, at time: Date) async throws

    /// Records a failed attempt: retried after the policy's backoff, or `failed` for good when
    /// `permanent` or out of attempts. Returns the message as stored.
    @discardableResult
    func markFailed(
        messageID id: Int64, error: String, permanent: Bool, at time: Date, policy: RetryPolicy
    ) async throws -> OutboxMessage

    /// Outbox messages in the given states, oldest first.
    func outboxMessages(statuses: Set<OutboxStatus>) async throws -> [OutboxMessage]

    // MARK: Audit log

    /// Appends an audit record (hash-chained, see ``AuditRecord``) and returns it.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws -> AuditRecord

    /// Audit records in sequence order, from `since` on when given.
    func auditRecords(since: Date?) async throws -> [AuditRecord]

    /// Recomputes every hash and link; an empty result means the log is intact.
    func verifyAudit() async throws -> [AuditChainIssue]

    /// Deletes the oldest whole segments of audit records that are all older than the retention,
    /// records the cut as an anchor and appends an `audit.prune` record. Never deletes a record
    /// younger than the retention.
    @discardableResult
    func pruneAudit(now: Date) async throws -> AuditPruneResult

    // MARK: Leases

    /// Takes or renews the leases on `devices` that are free, expired or already `owner`'s,
    /// until `now + seconds`; returns the devices `owner` holds afterwards, sorted.
    func acquireLeases(owner: String, devices: [String], seconds: Double, now: Date) async throws -> [String]

    /// Releases every lease `owner` holds.
    func releaseLeases(owner: String) async throws
}
