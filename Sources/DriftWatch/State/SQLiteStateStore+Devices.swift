import Foundation
import GRDB

extension SQLiteStateStore {
    /// See ``StateStore/saveDeviceState(_:)``.
    public func saveDeviceState(_ state: DeviceState) async throws {
        try await write("save the state of \(state.device)") { db in
            try Self.upsert(state, db: db)
        }
    }

    /// See ``StateStore/deviceState(device:)``.
    public func deviceState(device: String) async throws -> DeviceState? {
        try await read("read the state of \(device)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM device_states WHERE device = ?", arguments: [device])
                .map(StateRows.deviceState)
        }
    }

    /// See ``StateStore/deviceStates()``.
    public func deviceStates() async throws -> [DeviceState] {
        try await read("read the device states") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device_states ORDER BY device").map(StateRows.deviceState)
        }
    }

    static func upsert(_ state: DeviceState, db: Database) throws {
        let drift = try state.drift.map(StateRows.json)
        try db.execute(
            sql: """
                INSERT INTO device_states (device, status, since, last_success_at, last_attempt_at, baseline_version,
                    drift, consecutive_failures, changed_by, maintenance, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (device) DO UPDATE SET status = excluded.status, since = excluded.since,
                    last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
                    baseline_version = excluded.baseline_version, drift = excluded.drift,
                    consecutive_failures = excluded.consecutive_failures, changed_by = excluded.changed_by,
                    maintenance = excluded.maintenance, updated_at = excluded.updated_at
                """,
            arguments: [
                state.device, state.status.rawValue, StateTime.milliseconds(state.since),
                state.lastSuccessAt.map(StateTime.milliseconds), state.lastAttemptAt.map(StateTime.milliseconds),
                state.baselineVersion, drift, state.consecutiveFailures, state.changedBy, state.inMaintenance ? 1 : 0,
                StateTime.milliseconds(Date()),
            ])
    }
}
