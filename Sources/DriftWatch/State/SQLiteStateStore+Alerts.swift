import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/updateAlert(device:kind:key:_:)``.
    public func updateAlert(
        device: String, kind: AlertKind, key: String, _ decide: @escaping @Sendable (Alert?) throws -> AlertUpdate?
    ) async throws -> AlertUpdateResult? {
        let file = path
        return try await write("update the \(kind) alert of \(device)") { db in
            let current = try Row.fetchOne(
                db, sql: "SELECT * FROM alerts WHERE device = ? AND kind = ? AND key = ? AND status <> 'resolved'",
                arguments: [device, kind.rawValue, key]
            ).map(StateRows.alert)
            guard let update = try decide(current) else { return nil }
            var alert = update.alert
            guard alert.device == device, alert.kind == kind, alert.key == key else {
                throw StateStoreError(
                    .invalidArgument,
                    "the update for the \(kind) alert of \(device) names \(alert.kind) of \(alert.device) with another key",
                    file: file)
            }
            guard alert.id == current?.id else {
                throw StateStoreError(
                    .conflict,
                    "the \(kind) alert of \(device) is \(current?.id.map { "alert \($0)" } ?? "not open"), but the update names \(alert.id.map { "alert \($0)" } ?? "a new alert")",
                    file: file)
            }
            if alert.status == .resolved, alert.resolvedAt == nil { alert.resolvedAt = alert.updatedAt }
            let drafts = update.messages.map { draft -> OutboxDraft in
                var draft = draft
                if draft.messageID == nil { draft.messageID = Self.newMessageID() }
                return draft
            }
            if alert.messageIDRoot == nil { alert.messageIDRoot = drafts.first?.messageID }
            alert.id = try Self.save(alert, db: db)
            var messages: [OutboxMessage] = []
            for draft in drafts {
                messages.append(try Self.enqueue(draft, alertID: alert.id, createdAt: alert.updatedAt, db: db))
            }
            let audit = try update.audit.map { try Self.appendAudit($0, db: db) }
            return AlertUpdateResult(alert: alert, messages: messages, audit: audit)
        }
    }

    /// See ``StateStore/acknowledgeAlert(id:by:at:)``.
    public func acknowledgeAlert(id: Int64, by actor: String, at time: Date) async throws -> Alert {
        let file = path
        return try await write("acknowledge alert \(id)") { db in
            guard
                var alert = try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id])
                    .map(StateRows.alert)
            else {
                throw StateStoreError(
                    .notFound, "there is no alert \(id); 'driftwatch alerts list' shows the open ones", file: file)
            }
            guard alert.status != .resolved else {
                throw StateStoreError(
                    .conflict, "alert \(id) (\(alert.kind) on \(alert.device)) is already resolved", file: file)
            }
            alert.status = .acknowledged
            alert.acknowledgedBy = actor
            alert.acknowledgedAt = time
            alert.updatedAt = time
            _ = try Self.save(alert, db: db)
            try Self.appendAudit(
                AuditEntry(
                    actor: actor, action: StateAuditAction.alertAcknowledge, target: alert.device,
                    details: ["alert": String(id), "kind": alert.kind.rawValue, "key": alert.key], time: time),
                db: db)
            return alert
        }
    }

    /// See ``StateStore/alert(id:)``.
    public func alert(id: Int64) async throws -> Alert? {
        try await read("read alert \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(StateRows.alert)
        }
    }

    /// See ``StateStore/alerts(includeResolved:)``.
    public func alerts(includeResolved: Bool) async throws -> [Alert] {
        try await read("read the alerts") { db in
            let filter = includeResolved ? "" : "WHERE status <> 'resolved'"
            return try Row.fetchAll(db, sql: "SELECT * FROM alerts \(filter) ORDER BY id DESC").map(StateRows.alert)
        }
    }

    /// Inserts (id nil) or updates an alert; returns its id.
    static func save(_ alert: Alert, db: Database) throws -> Int64 {
        let arguments: StatementArguments = [
            alert.device, alert.kind.rawValue, alert.key, alert.status.rawValue,
            StateTime.milliseconds(alert.openedAt), StateTime.milliseconds(alert.updatedAt), alert.acknowledgedBy,
            alert.acknowledgedAt.map(StateTime.milliseconds), alert.resolvedAt.map(StateTime.milliseconds),
            alert.lastNotifiedAt.map(StateTime.milliseconds), alert.messageIDRoot, alert.details,
        ]
        if let id = alert.id {
            try db.execute(
                sql: """
                    UPDATE alerts SET device = ?, kind = ?, key = ?, status = ?, opened_at = ?, updated_at = ?,
                        acknowledged_by = ?, acknowledged_at = ?, resolved_at = ?, last_notified_at = ?,
                        message_id_root = ?, details = ?
                    WHERE id = ?
                    """, arguments: arguments + [id])
            return id
        }
        try db.execute(
            sql: """
                INSERT INTO alerts (device, kind, key, status, opened_at, updated_at, acknowledged_by, acknowledged_at,
                    resolved_at, last_notified_at, message_id_root, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
        return db.lastInsertedRowID
    }

    /// A unique `Message-ID`.
    static func newMessageID() -> String {
        "<\(UUID().uuidString.lowercased()).driftwatch@localhost>"
    }
}
