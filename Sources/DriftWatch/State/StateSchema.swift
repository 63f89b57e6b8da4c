import GRDB

/// The state database's schema, as numbered migrations. A released migration is never edited;
/// a change is a new migration.
///
/// Portable on purpose, for the PostgreSQL store that will follow: times are integer
/// milliseconds since 1970 (UTC), enums are text, JSON is text, upserts use `ON CONFLICT`, and
/// uniqueness of unresolved alerts is a partial unique index. SQLite-only parts are the
/// `AUTOINCREMENT` keys (PostgreSQL: identity columns) and the audit triggers (PostgreSQL:
/// `REVOKE UPDATE, DELETE` plus the same trigger logic in PL/pgSQL).
enum StateSchema {
    /// The migrator for every version.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try v1(db) }
        migrator.registerMigration("v2-control-requests") { db in try v2ControlRequests(db) }
        return migrator
    }()

    /// The first schema.
    static func v1(_ db: Database) throws {
        // Content-addressed texts: each distinct normalized, masked configuration once.
        try db.execute(
            sql: """
                CREATE TABLE snapshot_contents (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    text TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                -- One row per distinct consecutive version of a device; an unchanged collection
                -- bumps last_seen_at and seen_count instead of adding a row.
                CREATE TABLE snapshots (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    content_sha256 TEXT NOT NULL REFERENCES snapshot_contents(sha256),
                    collected_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    seen_count INTEGER NOT NULL DEFAULT 1,
                    trigger TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    changed_by TEXT
                );
                CREATE INDEX snapshots_by_device ON snapshots(device, id);
                CREATE INDEX snapshots_by_content ON snapshots(content_sha256);
                -- Every collection attempt; bounded per device (StateStoreOptions).
                CREATE TABLE collection_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    trigger TEXT NOT NULL,
                    result TEXT NOT NULL,
                    error TEXT,
                    changed_by TEXT,
                    snapshot_id INTEGER REFERENCES snapshots(id)
                );
                CREATE INDEX collection_runs_by_device ON collection_runs(device, id);
                CREATE TABLE device_states (
                    device TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    since INTEGER NOT NULL,
                    last_success_at INTEGER,
                    last_attempt_at INTEGER,
                    baseline_version INTEGER,
                    drift TEXT,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    changed_by TEXT,
                    maintenance INTEGER NOT NULL DEFAULT 0,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    status TEXT NOT NULL,
                    opened_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    acknowledged_by TEXT,
                    acknowledged_at INTEGER,
                    resolved_at INTEGER,
                    last_notified_at INTEGER,
                    message_id_root TEXT,
                    details TEXT NOT NULL DEFAULT '{}'
                );
                CREATE UNIQUE INDEX alerts_one_unresolved ON alerts(device, kind, key) WHERE status <> 'resolved';
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    alert_id INTEGER REFERENCES alerts(id),
                    channel TEXT NOT NULL,
                    message_id TEXT NOT NULL UNIQUE,
                    recipients TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    claimed_until INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    sent_at INTEGER
                );
                CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
                CREATE TABLE host_key_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    old_fingerprint TEXT,
                    new_fingerprint TEXT,
                    actor TEXT
                );
                CREATE INDEX host_key_events_by_device ON host_key_events(device, id);
                -- The audit log: the JSON-lines record format (AuditRecord), one column per field;
                -- details is the JSON object with sorted keys.
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    details TEXT NOT NULL,
                    prev_sha256 TEXT,
                    sha256 TEXT NOT NULL
                );
                CREATE INDEX audit_log_by_time ON audit_log(time);
                -- After pruning: the last deleted record's seq and sha256, where the chain now starts.
                CREATE TABLE audit_anchor (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seq INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    pruned_at TEXT NOT NULL
                );
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
                BEGIN
                    SELECT RAISE(ABORT, 'audit_log is append-only');
                END;
                CREATE TRIGGER audit_log_prune_only BEFORE DELETE ON audit_log
                WHEN OLD.seq > COALESCE((SELECT seq FROM audit_anchor WHERE id = 1), 0)
                BEGIN
                    SELECT RAISE(ABORT, 'audit_log is append-only; only pruneAudit deletes, up to its anchor');
                END;
                -- Work split between several watchers (PostgreSQL); one SQLite watcher holds all.
                CREATE TABLE leases (
                    device TEXT PRIMARY KEY NOT NULL,
                    owner TEXT NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX leases_by_owner ON leases(owner);
                """)
    }

    /// Requests from the CLI to a running watcher (`collect DEVICE`, `baseline approve`,
    /// `reload`), polled by the watcher; answered in `response`.
    static func v2ControlRequests(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE control_requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    device TEXT,
                    reason TEXT,
                    user TEXT,
                    requested_at INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    taken_at INTEGER,
                    done_at INTEGER,
                    response TEXT
                );
                CREATE INDEX control_requests_pending ON control_requests(status, id);
                """)
    }
}
