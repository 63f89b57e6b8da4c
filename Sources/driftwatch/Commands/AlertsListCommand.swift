import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch alerts list [--all] [--json]`.
struct AlertsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List open and acknowledged alerts (with --all, resolved ones too), newest first.",
        discussion: """
            --json prints an array of {id, device, kind, status, openedAt, updatedAt, \
            acknowledgedBy, acknowledgedAt, resolvedAt, lastNotifiedAt, summary, held, \
            added, removed, baselineVersion, snapshotId}; times are ISO 8601 or null; held is \
            "maintenance", "digest" or null.

            Examples:
              driftwatch alerts list
              driftwatch alerts list --all --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include resolved alerts.") var all = false
    @Flag(help: "Print a JSON array instead of a table.") var json = false

    func run() async throws {
        try await CheckCommand.guarded("alerts list") {
            let context = try OneShotContext.open(configPath: global.config)
            let alerts = try await context.store.alerts(includeResolved: all)
            if json {
                CheckCommand.write(try AlertsCommand.json(alerts.map(Self.object)))
                return 0
            }
            if alerts.isEmpty {
                CheckCommand.write(all ? "no alerts" : "no open alerts")
                return 0
            }
            CheckCommand.write("ID\tDEVICE\tKIND\tSTATUS\tOPENED\tSUMMARY")
            for alert in alerts {
                let object = Self.object(alert)
                var status = alert.status.rawValue
                if let by = alert.acknowledgedBy, alert.status == .acknowledged { status += " by \(by)" }
                if let held = object["held"] as? String { status += " (held: \(held))" }
                CheckCommand.write(
                    "\(alert.id.map(String.init) ?? "-")\t\(alert.device)\t\(alert.kind.rawValue)\t\(status)\t\(AlertsCommand.short(alert.openedAt))\t\(object["summary"] as? String ?? "")"
                )
            }
            return 0
        }
    }

    /// The JSON object of an alert.
    static func object(_ alert: Alert) -> [String: Any] {
        let details = AlertDetails(json: alert.details)
        var summary: String
        if let drift = details.drift {
            summary = "+\(drift.delta.addedLines) -\(drift.delta.removedLines) lines"
            if let version = drift.baselineVersion { summary += " vs v\(version)" }
            if !drift.findings.isEmpty { summary += ", \(drift.findings.count) standards violated" }
        } else {
            summary = details.failure.map { String($0.split(separator: "\n").first ?? "") } ?? alert.kind.rawValue
        }
        if let resolution = details.resolution {
            summary += "; resolved: \(resolution.kind.rawValue)"
            if let approver = resolution.approver { summary += " by \(approver)" }
        }
        return [
            "id": alert.id.map { $0 as Any } ?? NSNull(), "device": alert.device, "kind": alert.kind.rawValue,
            "status": alert.status.rawValue, "openedAt": AlertsCommand.iso(alert.openedAt),
            "updatedAt": AlertsCommand.iso(alert.updatedAt),
            "acknowledgedBy": alert.acknowledgedBy.map { $0 as Any } ?? NSNull(),
            "acknowledgedAt": AlertsCommand.iso(alert.acknowledgedAt), "resolvedAt": AlertsCommand.iso(alert.resolvedAt),
            "lastNotifiedAt": AlertsCommand.iso(alert.lastNotifiedAt), "summary": summary,
            "held": details.hold.map { $0.rawValue as Any } ?? NSNull(),
            "added": details.drift?.delta.addedLines ?? 0, "removed": details.drift?.delta.removedLines ?? 0,
            "baselineVersion": details.drift?.baselineVersion.map { $0 as Any } ?? NSNull(),
            "snapshotId": details.drift?.snapshotID.map { $0 as Any } ?? NSNull(),
        ]
    }
}
