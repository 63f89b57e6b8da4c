import Foundation
import GRDB

/// Reading stored rows back into values; an unreadable row throws `.corruptRecord`.
enum StateRows {
    static func string(_ row: Row, _ column: String) throws -> String {
        try row.decode(String.self, forColumn: column)
    }

    static func optionalString(_ row: Row, _ column: String) throws -> String? {
        try row.decode(String?.self, forColumn: column)
    }

    static func int(_ row: Row, _ column: String) throws -> Int64 {
        try row.decode(Int64.self, forColumn: column)
    }

    static func optionalInt(_ row: Row, _ column: String) throws -> Int64? {
        try row.decode(Int64?.self, forColumn: column)
    }

    static func date(_ row: Row, _ column: String) throws -> Date {
        StateTime.date(try int(row, column))
    }

    static func optionalDate(_ row: Row, _ column: String) throws -> Date? {
        try optionalInt(row, column).map(StateTime.date)
    }

    static func value<E: RawRepresentable>(_ type: E.Type, _ row: Row, _ column: String, table: String) throws -> E
    where E.RawValue == String {
        let raw = try string(row, column)
        guard let value = E(rawValue: raw) else {
            throw StateStoreError(
                .corruptRecord,
                "\(table).\(column) holds '\(raw)', which this DriftWatch does not know; the file was edited or written by a newer DriftWatch"
            )
        }
        return value
    }

    static func snapshotInfo(_ row: Row) throws -> SnapshotInfo {
        SnapshotInfo(
            id: try int(row, "id"), device: try string(row, "device"), sha256: try string(row, "content_sha256"),
            collectedAt: try date(row, "collected_at"), lastSeenAt: try date(row, "last_seen_at"),
            seenCount: Int(try int(row, "seen_count")),
            trigger: try value(CollectionTrigger.self, row, "trigger", table: "snapshots"),
            size: Int(try int(row, "size")), changedBy: try optionalString(row, "changed_by"))
    }

    static func collectionRun(_ row: Row) throws -> CollectionRun {
        CollectionRun(
            id: try int(row, "id"), device: try string(row, "device"), startedAt: try date(row, "started_at"),
            durationMilliseconds: try int(row, "duration_ms"),
            trigger: try value(CollectionTrigger.self, row, "trigger", table: "collection_runs"),
            result: try value(CollectionResult.self, row, "result", table: "collection_runs"),
            errorMessage: try optionalString(row, "error"), changedBy: try optionalString(row, "changed_by"),
            snapshotID: try optionalInt(row, "snapshot_id"))
    }

    static func deviceState(_ row: Row) throws -> DeviceState {
        var drift: DriftSummary?
        if let json = try optionalString(row, "drift") {
            do {
                drift = try JSONDecoder().decode(DriftSummary.self, from: Data(json.utf8))
            } catch {
                throw StateStoreError(
                    .corruptRecord, "device_states.drift of \(try string(row, "device")) is not a drift summary")
            }
        }
        return DeviceState(
            device: try string(row, "device"),
            status: try value(DeviceStatus.self, row, "status", table: "device_states"),
            since: try date(row, "since"), lastSuccessAt: try optionalDate(row, "last_success_at"),
            lastAttemptAt: try optionalDate(row, "last_attempt_at"),
            baselineVersion: try optionalInt(row, "baseline_version").map { Int($0) }, drift: drift,
            consecutiveFailures: Int(try int(row, "consecutive_failures")),
            changedBy: try optionalString(row, "changed_by"), inMaintenance: try int(row, "maintenance") != 0)
    }

    static func hostKeyEvent(_ row: Row) throws -> HostKeyEvent {
        HostKeyEvent(
            id: try int(row, "id"), device: try string(row, "device"), time: try date(row, "time"),
            kind: try value(HostKeyEvent.Kind.self, row, "event", table: "host_key_events"),
            oldFingerprint: try optionalString(row, "old_fingerprint"),
            newFingerprint: try optionalString(row, "new_fingerprint"), actor: try optionalString(row, "actor"))
    }

    static func alert(_ row: Row) throws -> Alert {
        var alert = Alert(
            device: try string(row, "device"), kind: AlertKind(rawValue: try string(row, "kind")),
            key: try string(row, "key"), openedAt: try date(row, "opened_at"),
            messageIDRoot: try optionalString(row, "message_id_root"), details: try string(row, "details"))
        alert.id = try int(row, "id")
        alert.status = try value(AlertStatus.self, row, "status", table: "alerts")
        alert.updatedAt = try date(row, "updated_at")
        alert.acknowledgedBy = try optionalString(row, "acknowledged_by")
        alert.acknowledgedAt = try optionalDate(row, "acknowledged_at")
        alert.resolvedAt = try optionalDate(row, "resolved_at")
        alert.lastNotifiedAt = try optionalDate(row, "last_notified_at")
        return alert
    }

    static func outboxMessage(_ row: Row) throws -> OutboxMessage {
        let recipientsJSON = try string(row, "recipients")
        guard let recipients = try? JSONDecoder().decode([String].self, from: Data(recipientsJSON.utf8)) else {
            throw StateStoreError(
                .corruptRecord, "outbox.recipients of message \(try int(row, "id")) is not a JSON list")
        }
        return OutboxMessage(
            id: try int(row, "id"), alertID: try optionalInt(row, "alert_id"), channel: try string(row, "channel"),
            messageID: try string(row, "message_id"), recipients: recipients, subject: try string(row, "subject"),
            body: try string(row, "body"), status: try value(OutboxStatus.self, row, "status", table: "outbox"),
            attempts: Int(try int(row, "attempts")), nextAttemptAt: try date(row, "next_attempt_at"),
            lastError: try optionalString(row, "last_error"), createdAt: try date(row, "created_at"),
            sentAt: try optionalDate(row, "sent_at"))
    }

    /// JSON text of an encodable value, keys sorted.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
