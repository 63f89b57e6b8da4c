import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/recordHostKeyEvent(_:audit:)``.
    @discardableResult
    public func recordHostKeyEvent(_ event: HostKeyEvent, audit: AuditEntry? = nil) async throws -> HostKeyEvent {
        try await write("record a host-key event for \(event.device)") { db in
            try db.execute(
                sql: """
                    INSERT INTO host_key_events (device, time, event, old_fingerprint, new_fingerprint, actor)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.device, StateTime.milliseconds(event.time), event.kind.rawValue, event.oldFingerprint,
                    event.newFingerprint, event.actor,
                ])
            var stored = event
            stored.id = db.lastInsertedRowID
            if let audit { try Self.appendAudit(audit, db: db) }
            return stored
        }
    }

    /// See ``StateStore/hostKeyEvents(device:limit:)``.
    public func hostKeyEvents(device: String?, limit: Int) async throws -> [HostKeyEvent] {
        try await read("read host-key events") { db in
            if let device {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM host_key_events WHERE device = ? ORDER BY id DESC LIMIT ?",
                    arguments: [device, max(limit, 0)]
                ).map(StateRows.hostKeyEvent)
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM host_key_events ORDER BY id DESC LIMIT ?", arguments: [max(limit, 0)]
            ).map(StateRows.hostKeyEvent)
        }
    }
}
