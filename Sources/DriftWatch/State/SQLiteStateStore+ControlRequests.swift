import Foundation
import GRDB

extension SQLiteStateStore {
    /// Queues a trigger for the running watcher; returns the request id.
    @discardableResult
    public func requestTrigger(device: String, reason: CollectionTrigger, user: String?) async throws -> Int64 {
        try await write("queue a collection request for \(device)") { db in
            try Self.insertRequest(db, kind: "trigger", device: device, reason: reason.rawValue, user: user)
        }
    }

    /// Queues a reload for the running watcher; returns the request id.
    @discardableResult
    public func requestReload(by user: String) async throws -> Int64 {
        try await write("queue a reload request") { db in
            try Self.insertRequest(db, kind: "reload", device: nil, reason: nil, user: user)
        }
    }

    /// Queues a trigger without `async` (for the synchronous `baseline approve` command, which
    /// runs on the main thread, never on the cooperative pool).
    @discardableResult
    public func requestTriggerNow(device: String, reason: CollectionTrigger, user: String?) throws -> Int64 {
        do {
            return try pool.write { db in
                try Self.insertRequest(db, kind: "trigger", device: device, reason: reason.rawValue, user: user)
            }
        } catch let error as DatabaseError {
            throw StateStoreError(
                .databaseFailed, "could not queue a collection request for \(device): \(error.message ?? "SQLite error")",
                file: path)
        }
    }

    /// Takes every pending request, oldest first, marking them taken (a request is taken once).
    public func takeControlRequests(now: Date = Date()) async throws -> [ControlRequest] {
        try await write("take the control requests") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM control_requests WHERE status = 'pending' ORDER BY id")
            guard let last: Int64 = rows.last?["id"] else { return [] }
            try db.execute(
                sql: "UPDATE control_requests SET status = 'taken', taken_at = ? WHERE status = 'pending' AND id <= ?",
                arguments: [StateTime.milliseconds(now), last])
            return rows.compactMap { Self.controlRequest($0, status: .taken) }
        }
    }

    /// Answers a taken request.
    public func completeControlRequest(id: Int64, failed: Bool, response: String, now: Date = Date()) async throws {
        try await write("answer control request \(id)") { db in
            try db.execute(
                sql: "UPDATE control_requests SET status = ?, done_at = ?, response = ? WHERE id = ?",
                arguments: [failed ? "failed" : "done", StateTime.milliseconds(now), response, id])
        }
    }

    /// A request by id, or nil.
    public func controlRequest(id: Int64) async throws -> ControlRequest? {
        try await read("read control request \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM control_requests WHERE id = ?", arguments: [id]).flatMap {
                Self.controlRequest($0, status: nil)
            }
        }
    }

    private static func insertRequest(
        _ db: Database, kind: String, device: String?, reason: String?, user: String?
    ) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO control_requests (kind, device, reason, user, requested_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [kind, device, reason, user, StateTime.milliseconds(Date())])
        return db.lastInsertedRowID
    }

    private static func controlRequest(_ row: Row, status override: ControlRequest.Status?) -> ControlRequest? {
        guard let id: Int64 = row["id"], let kindText: String = row["kind"], let millis: Int64 = row["requested_at"]
        else { return nil }
        let kind: ControlRequest.Kind
        switch kindText {
        case "trigger":
            guard let device: String = row["device"] else { return nil }
            let reason = (row["reason"] as String?).flatMap(CollectionTrigger.init(rawValue:)) ?? .manual
            kind = .trigger(device: device, reason: reason, user: row["user"])
        case "reload":
            kind = .reload(requestedBy: (row["user"] as String?) ?? "unknown")
        default:
            return nil
        }
        let status = override ?? (row["status"] as String?).flatMap(ControlRequest.Status.init(rawValue:)) ?? .pending
        return ControlRequest(
            id: id, kind: kind, requestedAt: StateTime.date(millis), status: status, response: row["response"])
    }
}
