import Foundation
import Testing

@testable import DriftWatch

/// `driftwatch status` marks a device stale after 3 of *its own* intervals (a group's or the
/// device's override), not 3 of `defaults.interval`.
@Suite struct StatusStalenessTests {
    @Test func staleFollowsEachDevicesOwnInterval() async throws {
        let workspace = try BaselineCLITests.Workspace()
        let yaml = """
            state: .driftwatch/state.sqlite
            baselines: baselines
            defaults: { interval: 5m }
            groups:
              core: { interval: 1m }
            devices:
              - { name: fast, host: 192.0.2.10, platform: cisco_ios, groups: [core] }
              - { name: slow, host: 192.0.2.11, platform: cisco_ios, groups: [edge] }
              - { name: own, host: 192.0.2.12, platform: cisco_ios, groups: [edge], interval: 30s }
            """
        try Data(yaml.utf8).write(to: workspace.folder.appendingPathComponent("driftwatch.yaml"))
        let store = try SQLiteStateStore(path: workspace.path(".driftwatch/state.sqlite"))
        // Last good collection 4 minutes ago: more than 3 × 1 m and 3 × 30 s, less than 3 × 5 m.
        let lastGood = Date().addingTimeInterval(-240)
        for device in ["fast", "slow", "own"] {
            try await store.saveDeviceState(
                DeviceState(device: device, status: .clean, since: lastGood, lastSuccessAt: lastGood, lastAttemptAt: lastGood))
        }
        let result = try await BaselineCLITests.run(["status", "--json"], in: workspace)
        #expect(result.status == 0, "\(result.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        let states = Dictionary(uniqueKeysWithValues: rows.compactMap { row in
            (row["device"] as? String).map { ($0, row["state"] as? String ?? "") }
        })
        #expect(states == ["fast": "stale", "slow": "clean", "own": "stale"])
    }
}
