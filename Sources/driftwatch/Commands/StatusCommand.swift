import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch status [--json]`: every device's last seen time, baseline version, state and drift counts.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every device's state: last seen, baseline version, state, drift counts.",
        discussion: """
            Reads the state store only (nothing is collected). A device whose last good \
            collection is older than 3 intervals shows as stale; a device never checked shows as \
            never-collected. --json prints an array of \
            {device, platform, state, since, lastSeen, lastAttempt, baselineVersion, added, \
            removed, standardsViolations, snapshotId, inMaintenance, lastError}; times are ISO 8601 \
            or null.

            Examples:
              driftwatch status
              driftwatch status --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array instead of a table.") var json = false

    func run() async throws {
        try await CheckCommand.guarded("status") {
            let context = try OneShotContext.open(configPath: global.config)
            let states = Dictionary(
                uniqueKeysWithValues: try await context.store.deviceStates().map { ($0.device, $0) })
            let now = Date()
            let format = ISO8601DateFormatter()
            var rows: [[String: Any]] = []
            for device in context.configuration.devices {
                let state = states[device.name]
                var status = state?.status.rawValue ?? "never-collected"
                if let state, state.status != .hostKeyChanged, state.status != .hostKeyUnknown,
                    Staleness.isStale(
                        lastSuccessAt: state.lastSuccessAt, now: now,
                        interval: context.configuration.settings(for: device).interval)
                {
                    status = DeviceStatus.stale.rawValue
                }
                let lastError = try await context.store.collectionRuns(device: device.name, limit: 1).first?
                    .errorMessage
                rows.append([
                    "device": device.name, "platform": device.platform, "state": status,
                    "since": Self.orNull(state.map { format.string(from: $0.since) }),
                    "lastSeen": Self.orNull(state?.lastSuccessAt.map { format.string(from: $0) }),
                    "lastAttempt": Self.orNull(state?.lastAttemptAt.map { format.string(from: $0) }),
                    "baselineVersion": Self.orNull(state?.baselineVersion),
                    "added": state?.drift?.added ?? 0, "removed": state?.drift?.removed ?? 0,
                    "standardsViolations": state?.drift?.standardsViolations ?? 0,
                    "snapshotId": Self.orNull(state?.drift?.snapshotID), "inMaintenance": state?.inMaintenance ?? false,
                    "lastError": Self.orNull(lastError),
                ])
            }
            if json {
                let data = try JSONSerialization.data(
                    withJSONObject: rows, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                CheckCommand.write(String(decoding: data, as: UTF8.self))
            } else {
                CheckCommand.write("DEVICE\tSTATE\tLAST SEEN\tBASELINE\tDRIFT")
                for row in rows {
                    let version = (row["baselineVersion"] as? Int).map { "v\($0)" } ?? "-"
                    let seen = row["lastSeen"] as? String ?? "never"
                    CheckCommand.write(
                        "\(row["device"] ?? "")\t\(row["state"] ?? "")\t\(seen)\t\(version)\t+\(row["added"] ?? 0) -\(row["removed"] ?? 0)"
                    )
                    if let error = row["lastError"] as? String { CheckCommand.write("  \(error)") }
                }
            }
            return 0
        }
    }

    /// The value, or JSON null.
    static func orNull<Value>(_ value: Value?) -> Any {
        value.map { $0 as Any } ?? NSNull()
    }
}
