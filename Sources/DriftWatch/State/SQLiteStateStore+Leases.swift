import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/acquireLeases(owner:devices:seconds:now:)``.
    ///
    /// On SQLite one watcher holds every device; the table exists so that the PostgreSQL store
    /// can use the same schema (there: `SELECT … FOR UPDATE SKIP LOCKED`).
    public func acquireLeases(owner: String, devices: [String], seconds: Double, now: Date) async throws -> [String] {
        let current = StateTime.milliseconds(now)
        let expires = StateTime.milliseconds(now.addingTimeInterval(seconds))
        return try await write("take device leases for \(owner)") { db in
            for device in devices {
                try db.execute(
                    sql: """
                        INSERT INTO leases (device, owner, expires_at) VALUES (?, ?, ?)
                        ON CONFLICT (device) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                        WHERE leases.owner = excluded.owner OR leases.expires_at <= ?
                        """, arguments: [device, owner, expires, current])
            }
            return try String.fetchAll(
                db, sql: "SELECT device FROM leases WHERE owner = ? AND expires_at > ? ORDER BY device",
                arguments: [owner, current])
        }
    }

    /// See ``StateStore/releaseLeases(owner:)``.
    public func releaseLeases(owner: String) async throws {
        try await write("release the leases of \(owner)") { db in
            try db.execute(sql: "DELETE FROM leases WHERE owner = ?", arguments: [owner])
        }
    }
}
