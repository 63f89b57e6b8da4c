import Foundation
import Testing

@testable import DriftWatch

@Suite struct ConfigurationReloadTests {
    static let before = """
        defaults: { interval: 5m }
        groups:
          core: { interval: 1m, concurrency: 4 }
        devices:
          - { name: a, host: 192.0.2.1, platform: linux, groups: [core] }
          - { name: b, host: 192.0.2.2, platform: linux }
          - { name: c, host: 192.0.2.3, platform: linux, credentials: { username: x, key_file: /k } }
          - { name: d, host: 192.0.2.4, platform: linux }
          - { name: e, host: 192.0.2.5, platform: linux, groups: [core] }
        """

    func parse(_ text: String, file: String = "/srv/dw/driftwatch.yaml") throws -> DriftWatchConfiguration {
        try ConfigurationLoader().parse(text, file: file, folder: URL(fileURLWithPath: "/srv/dw"))
    }

    @Test func identicalConfigurationChangesNothing() throws {
        let old = try parse(Self.before)
        // Moved lines and another file name are not changes.
        let moved = try parse("\n\n" + Self.before, file: "/srv/dw/other.yaml")
        #expect(moved.reloadSummary(from: old) == ReloadSummary(devices: 5))
    }

    @Test func addedRemovedAndChangedDevices() throws {
        let old = try parse(Self.before)
        let after = Self.before
            .replacingOccurrences(of: "  - { name: b, host: 192.0.2.2, platform: linux }\n", with: "")
            .replacingOccurrences(of: "key_file: /k", with: "key_file: /k2")
            .replacingOccurrences(of: "name: d, host: 192.0.2.4, platform: linux }", with: "name: d, host: 192.0.2.4, platform: linux, timeout: 5s }")
            + "\n  - { name: f, host: 192.0.2.6, platform: linux }\n  - { name: g, host: 192.0.2.7, platform: linux }"
        let new = try parse(after)
        #expect(new.reloadSummary(from: old) == ReloadSummary(added: ["f", "g"], removed: ["b"], changed: ["c", "d"], devices: 6))
    }

    @Test(arguments: [
        ("host: 192.0.2.1,", "host: 192.0.2.99,", ["a"]),
        ("name: a, host: 192.0.2.1, platform: linux", "name: a, host: 192.0.2.1, port: 2222, platform: linux", ["a"]),
        ("name: b, host: 192.0.2.2, platform: linux", "name: b, host: 192.0.2.2, platform: cisco_ios", ["b"]),
        ("name: b, host: 192.0.2.2, platform: linux", "name: b, host: 192.0.2.2, platform: linux, groups: [x]", ["b"]),
        // A group's override reaches each of its devices; a default reaches every device it is not overridden for.
        ("core: { interval: 1m,", "core: { interval: 2m,", ["a", "e"]),
        ("concurrency: 4", "concurrency: 2", ["a", "e"]),
        ("defaults: { interval: 5m }", "defaults: { interval: 6m }", ["b", "c", "d"]),
        ("defaults: { interval: 5m }", "defaults: { interval: 5m, timeout: 10s }", ["a", "b", "c", "d", "e"]),
    ])
    func eachComparedPropertyMarksAChange(_ original: String, _ replacement: String, _ changed: [String]) throws {
        let after = Self.before.replacingOccurrences(of: original, with: replacement)
        #expect(after != Self.before)
        let summary = try parse(after).reloadSummary(from: try parse(Self.before))
        #expect(summary.changed == changed && summary.added.isEmpty && summary.removed.isEmpty)
    }
}
