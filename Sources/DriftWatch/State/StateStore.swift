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
///
/// ## Decisions
///
/// - **Snapshots** are content-addressed: `snapshot_contents` holds each distinct text once,
///   keyed by its SHA-256; `snapshots` holds one small row per *consecutive distinct version* of
///   a device. An unchanged collection adds no snapshot row: it bumps the latest row's
///   `last_seen_at` and `seen_count`, and adds one `collection_runs` row, which retention bounds
///   (``StateStoreOptions/collectionRunsPerDevice``, pruned in the same transaction). Snapshot
///   rows and texts are never pruned, so every distinct version and every snapshot id stays.
/// - **Audit**: what the watcher and the store-backed commands do (host keys trusted or changed,
///   alerts acknowledged, reloads, pruning) is appended to the database's `audit_log`, in the
///   transaction that makes the change, so a change and its record exist together or not at all.
///   Records are ``AuditRecord``s: the same fields, canonical form, hash and chain as
///   `audit.jsonl`, which the baseline commands keep writing (they run without a state store and
///   `baseline verify` reads it). Writing both places for one action was rejected: the two
///   writes cannot be one transaction.
/// - **Audit retention** (``pruneAudit(now:)``) deletes only a prefix of whole segments of
///   sequence numbers whose records are all older than the retention (at least 180 days,
///   whatever the order of their times), first appending an `audit.prune` record that names the
///   last deleted record's sequence and hash, and storing that pair as the anchor where the chain
///   now starts. A tampered log is never pruned.
/// - **Leases** (table `leases`) are ready for several watchers; on SQLite one watcher takes all.
///   A PostgreSQL store implements the same protocol with the same schema: identity columns for
///   `AUTOINCREMENT`, `SELECT … FOR UPDATE SKIP LOCKED` in ``claimNextDueMessage(now:claimSeconds:)``
///   and lease taking, a locked head row for audit appends, and the audit triggers in PL/pgSQL.
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
