import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/recordCollection(_:deviceState:)``.
    public func recordCollection(_ report: CollectionReport, deviceState: DeviceState? = nil) async throws
        -> CollectionOutcome
    {
        guard !report.device.isEmpty else {
            throw StateStoreError(.invalidArgument, "a collection report needs a device name", file: path)
        }
        if report.content != nil, report.result != .ok {
            throw StateStoreError(
                .invalidArgument,
                "the collection of \(report.device) ended '\(report.result.rawValue)' but carries content; only a successful collection stores a snapshot",
                file: path)
        }
        if let deviceState, deviceState.device != report.device {
            throw StateStoreError(
                .invalidArgument,
                "the collection of \(report.device) carries the state of \(deviceState.device)", file: path)
        }
        let keep = options.collectionRunsPerDevice
        return try await write("record the collection of \(report.device)") { db in
            let started = StateTime.milliseconds(report.startedAt)
            var snapshot: SnapshotInfo?
            var isNewVersion = false
            var isNewContent = false
            if let content = report.content {
                try db.execute(
                    sql: """
                        INSERT INTO snapshot_contents (sha256, text, size, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (sha256) DO NOTHING
                        """, arguments: [content.sha256, content.text, content.size, started])
                isNewContent = db.changesCount > 0
                let latest = try Row.fetchOne(
                    db, sql: "SELECT * FROM snapshots WHERE device = ? ORDER BY id DESC LIMIT 1",
                    arguments: [report.device]
                ).map(StateRows.snapshotInfo)
                if let latest, latest.sha256 == content.sha256 {
                    try db.execute(
                        sql: """
                            UPDATE snapshots SET last_seen_at = MAX(last_seen_at, ?), seen_count = seen_count + 1
                            WHERE id = ?
                            """, arguments: [started, latest.id])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO snapshots (device, content_sha256, collected_at, last_seen_at, seen_count, trigger, size, changed_by)
                            VALUES (?, ?, ?, ?, 1, ?, ?, ?)
                            """,
                        arguments: [
                            report.device, content.sha256, started, started, report.trigger.rawValue, content.size,
                            report.changedBy,
                        ])
                    isNewVersion = true
                }
                let id = isNewVersion ? db.lastInsertedRowID : (latest?.id ?? db.lastInsertedRowID)
                snapshot = try Row.fetchOne(db, sql: "SELECT * FROM snapshots WHERE id = ?", arguments: [id])
                    .map(StateRows.snapshotInfo)
            }
            try db.execute(
                sql: """
                    INSERT INTO collection_runs (device, started_at, duration_ms, trigger, result, error, changed_by, snapshot_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.device, started, StateTime.milliseconds(report.duration), report.trigger.rawValue,
                    report.result.rawValue, report.errorMessage, report.changedBy, snapshot?.id,
                ])
            let runID = db.lastInsertedRowID
            try db.execute(
                sql: """
                    DELETE FROM collection_runs WHERE device = ? AND id <= (
                        SELECT id FROM collection_runs WHERE device = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
                    """, arguments: [report.device, report.device, keep])
            let pruned = db.changesCount
            if let deviceState { try Self.upsert(deviceState, db: db) }
            return CollectionOutcome(
                runID: runID, snapshot: snapshot, isNewVersion: isNewVersion, isNewContent: isNewContent,
                prunedRuns: pruned)
        }
    }

    /// See ``StateStore/snapshot(id:)``.
    public func snapshot(id: Int64) async throws -> StoredSnapshot? {
        try await read("read snapshot \(id)") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT s.*, c.text FROM snapshots s JOIN snapshot_contents c ON c.sha256 = s.content_sha256
                    WHERE s.id = ?
                    """, arguments: [id]
            ).map(Self.storedSnapshot)
        }
    }

    /// See ``StateStore/latestSnapshot(device:)``.
    public func latestSnapshot(device: String) async throws -> StoredSnapshot? {
        try await read("read the latest snapshot of \(device)") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT s.*, c.text FROM snapshots s JOIN snapshot_contents c ON c.sha256 = s.content_sha256
                    WHERE s.device = ? ORDER BY s.id DESC LIMIT 1
                    """, arguments: [device]
            ).map(Self.storedSnapshot)
        }
    }

    /// See ``StateStore/snapshots(device:limit:)``.
    public func snapshots(device: String, limit: Int) async throws -> [SnapshotInfo] {
        try await read("read the snapshots of \(device)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM snapshots WHERE device = ? ORDER BY id DESC LIMIT ?",
                arguments: [device, max(limit, 0)]
            ).map(StateRows.snapshotInfo)
        }
    }

    /// See ``StateStore/collectionRuns(device:limit:)``.
    public func collectionRuns(device: String, limit: Int) async throws -> [CollectionRun] {
        try await read("read the collection runs of \(device)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM collection_runs WHERE device = ? ORDER BY id DESC LIMIT ?",
                arguments: [device, max(limit, 0)]
            ).map(StateRows.collectionRun)
        }
    }

    private static func storedSnapshot(_ row: Row) throws -> StoredSnapshot {
        let info = try StateRows.snapshotInfo(row)
        let content = SnapshotContent(storedText: try StateRows.string(row, "text"))
        guard content.sha256 == info.sha256 else {
            throw StateStoreError(
                .corruptRecord,
                "the text of snapshot \(info.id) (\(info.device)) does not match its sha256 \(info.sha256): the database was edited"
            )
        }
        return StoredSnapshot(info: info, content: content)
    }
}
