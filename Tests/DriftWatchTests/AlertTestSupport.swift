import ConfigDiff
import Foundation

@testable import DriftWatch

/// Facts and alerts for the alerting tests.
enum AlertSamples {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// A drift: `added` lines added under `interface Gi0/1`, one removed, with a masked secret.
    static func facts(
        added: [String] = ["description changed"], removed: [String] = ["description uplink"], version: Int? = 7,
        snapshot: Int64? = 42, findings: [DeviceCheck.Finding] = [], trigger: String = "poll",
        changedBy: String? = nil, at time: Date = t0
    ) -> DriftFacts {
        var changes: [ConfigChange] = removed.map {
            ConfigChange(kind: .removed, path: ["interface GigabitEthernet0/1"], text: $0)
        }
        changes += added.map { ConfigChange(kind: .added, path: ["interface GigabitEthernet0/1"], text: $0) }
        return DriftFacts(
            delta: ConfigDelta(changes: changes), remediation: ["interface GigabitEthernet0/1", " " + (removed.first ?? "")],
            findings: findings, snapshotID: snapshot, baselineVersion: version, trigger: trigger, changedBy: changedBy,
            detectedAt: time)
    }

    /// A stored copy of a decided alert (as the store would give it back).
    static func stored(_ alert: Alert, id: Int64 = 1) -> Alert {
        var alert = alert
        alert.id = id
        return alert
    }
}
