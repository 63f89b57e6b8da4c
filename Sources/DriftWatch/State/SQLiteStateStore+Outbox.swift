import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/claimNextDueMessage(now:claimSeconds:)``.
    public func claimNextDueMessage(now: Date, claimSeconds: Double) async throws -> OutboxMessage? {
        let current = StateTime.milliseconds(now)
        let until = StateTime.milliseconds(now.addingTimeInterval(claimSeconds))
        return try await write("claim an outbox message") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM outbox
                        WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
                        ORDER BY next_attempt_at, id LIMIT 1
                        """, arguments: [current, current])
            else { return nil }
            let id = try StateRows.int(row, "id")
            try db.execute(
                sql: "UPDATE outbox SET attempts = attempts + 1, claimed_until = ? WHERE id = ?",
                arguments: [until, id])
            return try Self.message(id: id, db: db)
        }
    }

    /// See ``StateStore/markSent(messageID:at:)``.
    public func markSent(messageID id: Int64, at time: Date) async throws {
        let file = path
        try await write("mark outbox message \(id) sent") { db in
            let sent = StateTime.milliseconds(time)
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL
                    WHERE id = ? AND status = 'pending'
                    """, arguments: [sent, id])
            guard db.changesCount == 1 else {
                throw StateStoreError(.notFound, "there is no pending outbox message \(id)", file: file)
            }
            try db.execute(
                sql: "UPDATE alerts SET last_notified_at = ? WHERE id = (SELECT alert_id FROM outbox WHERE id = ?)",
                arguments: [sent, id])
        }
    }

    /// See ``StateStore/markFailed(messageID:error:permanent:at:policy:)``.
    @discardableResult
    public func markFailed(
        messageID id: Int64, error: String, permanent: Bool, at time: Date, policy: RetryPolicy = RetryPolicy()
    ) async throws -> OutboxMessage {
        let file = path
        return try await write("mark outbox message \(id) failed") { db in
            guard let message = try Self.message(id: id, db: db), message.status == .pending else {
                throw StateStoreError(.notFound, "there is no pending outbox message \(id)", file: file)
            }
            let attempts = max(message.attempts, 1)
            let givesUp = permanent || attempts >= policy.maximumAttempts
            let next = time.addingTimeInterval(givesUp ? 0 : policy.delay(afterAttempts: attempts))
            try db.execute(
                sql: """
                    UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ?
                    WHERE id = ?
                    """,
                arguments: [
                    (givesUp ? OutboxStatus.failed : .pending).rawValue, attempts, StateTime.milliseconds(next), error,
                    id,
                ])
            guard let stored = try Self.message(id: id, db: db) else {
                throw StateStoreError(.notFound, "outbox message \(id) vanished", file: file)
            }
            return stored
        }
    }

    /// See ``StateStore/outboxMessages(statuses:)``.
    public func outboxMessages(statuses: Set<OutboxStatus>) async throws -> [OutboxMessage] {
        let names = statuses.map(\.rawValue).sorted()
        return try await read("read the outbox") { db in
            guard !names.isEmpty else { return [] }
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE status IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(names)
            ).map(StateRows.outboxMessage)
        }
    }

    static func enqueue(_ draft: OutboxDraft, alertID: Int64?, createdAt: Date, db: Database) throws -> OutboxMessage {
        let created = StateTime.milliseconds(createdAt)
        try db.execute(
            sql: """
                INSERT INTO outbox (alert_id, channel, message_id, recipients, subject, body, status, attempts,
                    next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                """,
            arguments: [
                alertID, draft.channel, draft.messageID ?? newMessageID(), try StateRows.json(draft.recipients),
                draft.subject, draft.body, draft.notBefore.map(StateTime.milliseconds) ?? created, created,
            ])
        guard let message = try message(id: db.lastInsertedRowID, db: db) else {
            throw StateStoreError(.databaseFailed, "an enqueued outbox message could not be read back")
        }
        return message
    }

    static func message(id: Int64, db: Database) throws -> OutboxMessage? {
        try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(StateRows.outboxMessage)
    }
}
