import ConfigDiff
import Foundation

/// The result of `driftwatch check`: one ``DeviceCheck`` per device, in inventory order.
///
/// Exit status (``exitCode``): 2 when any device could not be collected or compared (its state
/// is `unreachable`, `stale`, `host-key-changed` or `host-key-unknown`, or its collection result
/// is not `ok`); otherwise 1 when any device is `drifted` or `unbaselined` (something needs a
/// person: revert, or approve a baseline); otherwise 0.
///
/// JSON (``jsonData()``), stable, keys sorted, every key always present (`null` when empty):
///
/// ```json
/// { "schema": 1, "checkedAt": "2026-11-23T07:40:00Z", "exitCode": 1,
///   "summary": { "devices": 2, "clean": 1, "drifted": 1, "unbaselined": 0, "failed": 0 },
///   "devices": [
///     { "device": "r1", "platform": "cisco_ios", "state": "drifted", "collection": "ok",
///       "message": null, "snapshotId": 12, "attempts": 1, "durationMs": 840,
///       "baselineVersion": 3, "inMaintenance": false,
///       "delta": { "changes": [ { "kind": "added", "path": ["interface Gi0/1"], "text": "shutdown", … } ],
///                  "summary": { "added": 1, "removed": 0 } },
///       "remediation": ["interface Gi0/1", " no shutdown"],
///       "findings": [ { "standard": "…", "rule": "…", "severity": "high", "path": [], "message": "…" } ],
///       "hint": "if the change is intended, run 'driftwatch baseline approve r1 --snapshot latest --reason TEXT'; …" } ] }
/// ```
///
/// `state` is one of `clean`, `drifted`, `unbaselined`, `unreachable`, `stale`,
/// `host-key-changed`, `host-key-unknown`; `collection` one of `ok`, `unreachable`,
/// `auth_failed`, `host_key_changed`, `host_key_unknown`, `timeout`, `incomplete`, `error`.
public struct CheckReport: Sendable, Encodable {
    /// Counts by outcome.
    public struct Summary: Sendable, Encodable, Hashable {
        /// Devices checked.
        public var devices: Int
        /// Devices `clean`.
        public var clean: Int
        /// Devices `drifted`.
        public var drifted: Int
        /// Devices `unbaselined`.
        public var unbaselined: Int
        /// Devices whose check failed (see ``DeviceCheck/isError``).
        public var failed: Int
    }

    /// The JSON schema version; bumped only for incompatible changes.
    public static let schemaVersion = 1

    /// When the check started.
    public var checkedAt: Date
    /// The devices, in the order asked.
    public var devices: [DeviceCheck]

    /// Creates a report.
    public init(checkedAt: Date, devices: [DeviceCheck]) {
        self.checkedAt = checkedAt
        self.devices = devices
    }

    /// Counts by outcome.
    public var summary: Summary {
        Summary(
            devices: devices.count, clean: devices.filter { !$0.isError && $0.state == .clean }.count,
            drifted: devices.filter { !$0.isError && $0.state == .drifted }.count,
            unbaselined: devices.filter { !$0.isError && $0.state == .unbaselined }.count,
            failed: devices.filter(\.isError).count)
    }

    /// 0 clean, 1 drift (or no baseline), 2 error.
    public var exitCode: Int32 {
        if devices.contains(where: \.isError) { return 2 }
        if devices.contains(where: { $0.state == .drifted || $0.state == .unbaselined }) { return 1 }
        return 0
    }

    enum CodingKeys: String, CodingKey { case schema, checkedAt, exitCode, summary, devices }

    /// Encodes the stable form (see the type's documentation).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schema)
        try container.encode(ISO8601DateFormatter().string(from: checkedAt), forKey: .checkedAt)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(summary, forKey: .summary)
        try container.encode(devices, forKey: .devices)
    }

    /// The stable JSON document, pretty-printed with sorted keys.
    public func jsonData() throws -> Data {
        try ConfigDelta.encoder().encode(self)
    }
}
