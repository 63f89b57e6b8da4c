import ConfigDiff
import Foundation

/// The JSON documents of the `/api/v1` routes (documented with examples in `docs/http-api.md`).
///
/// Every document carries ``schema``; keys are written sorted, dates in ISO 8601 (UTC), and an
/// absent value is an explicit `null`, so that the shape does not depend on the data.
enum APIDocument {
    /// The schema of every document of this API version.
    static let schema = "driftwatch.api.v1"

    /// A value that encodes as `null` when absent, instead of leaving its key out.
    struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
        var value: Wrapped?

        init(_ value: Wrapped?) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    /// Drift counts of a device.
    struct DriftCounts: Encodable, Sendable {
        var added: Int
        var removed: Int
        var standardsViolations: Int

        init(_ summary: DriftSummary) {
            added = summary.added
            removed = summary.removed
            standardsViolations = summary.standardsViolations
        }
    }

    /// One inventory device with its state (`unknown` and nulls before its first evaluation).
    struct Device: Encodable, Sendable {
        var name: String
        var platform: String
        var groups: [String]
        var state: String
        var since: Nullable<Date>
        var lastSuccessAt: Nullable<Date>
        var lastAttemptAt: Nullable<Date>
        var baselineVersion: Nullable<Int>
        var drift: Nullable<DriftCounts>
        var consecutiveFailures: Int
        var changedBy: Nullable<String>
        var inMaintenance: Bool

        init(entry: DeviceEntry, state: DeviceState?) {
            name = entry.name
            platform = entry.platform
            groups = entry.groups
            self.state = state?.status.rawValue ?? "unknown"
            since = Nullable(state?.since)
            lastSuccessAt = Nullable(state?.lastSuccessAt)
            lastAttemptAt = Nullable(state?.lastAttemptAt)
            baselineVersion = Nullable(state?.baselineVersion)
            drift = Nullable(state?.drift.map(DriftCounts.init))
            consecutiveFailures = state?.consecutiveFailures ?? 0
            changedBy = Nullable(state?.changedBy)
            inMaintenance = state?.inMaintenance ?? false
        }
    }

    /// `GET /api/v1/devices`.
    struct DeviceList: Encodable, Sendable {
        var schema = APIDocument.schema
        var devices: [Device]
    }

    /// One stored collection run.
    struct Run: Encodable, Sendable {
        var id: Int64
        var startedAt: Date
        var durationMilliseconds: Int64
        var trigger: String
        var result: String
        var errorMessage: Nullable<String>
        var changedBy: Nullable<String>
        var snapshotID: Nullable<Int64>

        init(_ run: CollectionRun) {
            id = run.id
            startedAt = run.startedAt
            durationMilliseconds = run.durationMilliseconds
            trigger = run.trigger.rawValue
            result = run.result.rawValue
            errorMessage = Nullable(run.errorMessage)
            changedBy = Nullable(run.changedBy)
            snapshotID = Nullable(run.snapshotID)
        }
    }

    /// `GET /api/v1/devices/{name}`.
    struct DeviceDetail: Encodable, Sendable {
        var schema = APIDocument.schema
        var device: Device
        var latestSnapshotID: Nullable<Int64>
        var recentRuns: [Run]
    }

    /// `GET /api/v1/devices/{name}/drift`: the masked delta against the baseline.
    struct Drift: Encodable, Sendable {
        var schema = APIDocument.schema
        var device: String
        var state: String
        var baselineVersion: Nullable<Int>
        var snapshotID: Nullable<Int64>
        var summary: Nullable<DriftCounts>
        /// The delta as text: section headers as context, `+`/`-` lines.
        var text: String
        /// The delta's stable JSON form (``ConfigDelta``): hierarchical changes and counts.
        var delta: Nullable<ConfigDelta>
        /// The commands that bring the device back to its baseline (null when the platform
        /// profile is not known to the server).
        var remediation: Nullable<[String]>
    }

    /// An alert.
    struct Alert: Encodable, Sendable {
        var id: Nullable<Int64>
        var device: String
        var kind: String
        var status: String
        var openedAt: Date
        var updatedAt: Date
        var acknowledgedBy: Nullable<String>
        var acknowledgedAt: Nullable<Date>
        var lastNotifiedAt: Nullable<Date>

        init(_ alert: DriftWatch.Alert) {
            id = Nullable(alert.id)
            device = alert.device
            kind = alert.kind.rawValue
            status = alert.status.rawValue
            openedAt = alert.openedAt
            updatedAt = alert.updatedAt
            acknowledgedBy = Nullable(alert.acknowledgedBy)
            acknowledgedAt = Nullable(alert.acknowledgedAt)
            lastNotifiedAt = Nullable(alert.lastNotifiedAt)
        }
    }

    /// `GET /api/v1/alerts`.
    struct AlertList: Encodable, Sendable {
        var schema = APIDocument.schema
        var alerts: [Alert]
    }

    /// `POST /api/v1/reload`.
    struct Reload: Encodable, Sendable {
        var schema = APIDocument.schema
        var added: [String]
        var removed: [String]
        var changed: [String]
        var devices: Int

        init(_ summary: ReloadSummary) {
            added = summary.added
            removed = summary.removed
            changed = summary.changed
            devices = summary.devices
        }
    }

    /// `POST /api/v1/devices/{name}/collect`.
    struct Triggered: Encodable, Sendable {
        var schema = APIDocument.schema
        var device: String
        var trigger: String
        var accepted = true
    }

    /// Every error answer.
    struct Failure: Encodable, Sendable {
        struct Detail: Encodable, Sendable {
            var code: String
            var message: String
            var file: Nullable<String>
            var line: Nullable<Int>
        }

        var schema = APIDocument.schema
        var error: Detail

        init(code: String, message: String, file: String? = nil, line: Int? = nil) {
            error = Detail(code: code, message: message, file: Nullable(file), line: Nullable(line))
        }
    }

    /// The encoder of every document: sorted keys, pretty-printed, no escaped slashes, ISO 8601.
    static func encode(_ document: some Encodable) throws -> Data {
        let encoder = ConfigDelta.encoder()
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(document)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
