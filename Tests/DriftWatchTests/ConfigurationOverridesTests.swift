import Foundation
import Testing

@testable import DriftWatch

@Suite struct ConfigurationOverridesTests {
    static let text = """
        defaults: { interval: 5m, timeout: 30s, time_limit: 2m, concurrency: 16, host_key_policy: strict }
        groups:
          core: { interval: 1m, timeout: 20s, time_limit: 90s, concurrency: 4, host_key_policy: tofu }
          edge: { interval: 10m, concurrency: 2, host_key_policy: accept-new }
          lab: { timeout: 5s }
        devices:
          - { name: r1, host: 192.0.2.1, platform: cisco_ios, groups: [core, edge] }
          - { name: r2, host: 192.0.2.2, platform: cisco_ios, groups: [edge, core] }
          - { name: r3, host: 192.0.2.3, platform: cisco_ios, groups: [core], interval: 30s, host_key_policy: strict }
          - { name: r4, host: 192.0.2.4, platform: linux }
          - { name: r5, host: 192.0.2.5, platform: linux, groups: [lab, unknown-group], time_limit: 10m }
        """
    let loader = ConfigurationLoader(knownPlatforms: ["cisco_ios", "linux"])
    static let file = "/srv/dw/driftwatch.yaml"

    func parse(_ text: String) throws -> DriftWatchConfiguration {
        try loader.parse(text, file: Self.file, folder: URL(fileURLWithPath: "/srv/dw"))
    }

    func failure(_ text: String) -> DriftWatchError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? DriftWatchError
        }
    }

    @Test func groupsAreReadWithTheirLines() throws {
        let configuration = try parse(Self.text)
        #expect(configuration.groups["core"] == CollectionOverrides(
            interval: .seconds(60), timeout: .seconds(20), timeLimit: .seconds(90), concurrency: 4,
            hostKeyPolicy: .acceptNew, line: 3))
        #expect(configuration.groups["edge"]?.line == 4)
        #expect(configuration.groupConcurrencyLimits == ["core": 4, "edge": 2])
        #expect(configuration.devices[2].overrides == CollectionOverrides(interval: .seconds(30), hostKeyPolicy: .strict))
        #expect(configuration.devices[4].overrides.timeLimit == .seconds(600))
    }

    @Test func precedenceIsDeviceThenGroupsInTheDevicesOrderThenDefaults() throws {
        let configuration = try parse(Self.text)
        let settings = configuration.devices.map { configuration.settings(for: $0) }
        // r1 [core, edge]: core (listed first) wins where both set a key.
        #expect(settings[0] == CollectionDefaults(
            interval: .seconds(60), timeout: .seconds(20), timeLimit: .seconds(90), concurrency: 2, hostKeyPolicy: .acceptNew))
        // r2 [edge, core]: edge wins interval; core fills timeout and time limit.
        #expect(settings[1].interval == .seconds(600) && settings[1].timeout == .seconds(20))
        #expect(settings[1].timeLimit == .seconds(90) && settings[1].hostKeyPolicy == .acceptNew)
        // r3: its own interval and policy beat core's.
        #expect(settings[2].interval == .seconds(30) && settings[2].hostKeyPolicy == .strict)
        #expect(settings[2].timeout == .seconds(20) && settings[2].concurrency == 4)
        // r4: no group, the defaults.
        #expect(settings[3] == configuration.defaults)
        // r5: a group without a limit and a group not in `groups:` change nothing but the timeout.
        #expect(settings[4] == CollectionDefaults(
            interval: .seconds(300), timeout: .seconds(5), timeLimit: .seconds(600), concurrency: 16, hostKeyPolicy: .strict))
        #expect(configuration.concurrencyGroups(for: configuration.devices[1]) == ["edge", "core"])
        #expect(configuration.concurrencyGroups(for: configuration.devices[4]).isEmpty)
    }

    @Test func unusedGroupIsAWarningWithFileAndLine() throws {
        let configuration = try parse(Self.text + "\n" + "")
        #expect(configuration.warnings.isEmpty)
        let unused = try parse(Self.text.replacingOccurrences(of: "groups: [lab, unknown-group]", with: "groups: [labs]"))
        #expect(unused.warnings.count == 1)
        #expect(unused.warnings.first?.file == Self.file && unused.warnings.first?.line == 5)
        #expect(unused.warnings.first?.message.contains("'groups.lab'") == true)
        #expect(unused.warnings.first?.description.hasPrefix("\(Self.file):5: warning: ") == true)
    }

    @Test(arguments: [
        ("interval: 1m, timeout: 20s", "interval: 0s, timeout: 20s", "groups.core.interval", 3),
        ("interval: 1m, timeout: 20s", "interval: -1m, timeout: 20s", "groups.core.interval", 3),
        ("time_limit: 90s, concurrency: 4", "time_limit: 90 seconds, concurrency: 4", "groups.core.time_limit", 3),
        ("concurrency: 4", "concurrency: 0", "groups.core.concurrency", 3),
        ("concurrency: 2", "concurrency: -2", "groups.edge.concurrency", 4),
        ("concurrency: 2", "concurrency: two", "groups.edge.concurrency", 4),
        ("host_key_policy: tofu", "host_key_policy: trusting", "groups.core.host_key_policy", 3),
        ("lab: { timeout: 5s }", "lab: { timeout: 5s, retries: 3 }", "groups.lab.retries", 5),
        ("lab: { timeout: 5s }", "lab: [timeout]", "groups.lab", 5),
        ("interval: 30s, host", "interval: 0ms, host", "devices[2].interval", 9),
        ("time_limit: 10m }", "time_limit: 10m, concurrency: 3 }", "devices[4].concurrency", 11),
        ("30s, host_key_policy: strict", "30s, host_key_policy: lax", "devices[2].host_key_policy", 9),
    ])
    func badOverridesNameFileLineAndKey(_ original: String, _ replacement: String, _ key: String, _ line: Int) {
        let text = Self.text.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.text)
        let error = failure(text)
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.file == Self.file)
        #expect(error?.line == line, "\(error?.description ?? "accepted")")
        #expect(error?.message.contains("'\(key)'") == true, "\(error?.description ?? "accepted")")
    }

    @Test func concurrencyOnADeviceSaysWhereItBelongs() {
        let text = Self.text.replacingOccurrences(of: "time_limit: 10m }", with: "time_limit: 10m, concurrency: 3 }")
        #expect(failure(text)?.message.contains("groups.<group>.concurrency") == true)
    }

    @Test func groupGivenTwiceIsRefused() {
        let text = Self.text.replacingOccurrences(of: "  lab: { timeout: 5s }", with: "  lab: { timeout: 5s }\n  core: {}")
        let error = failure(text)
        #expect(error?.code == .invalidConfiguration && error?.line == 6)
        #expect(error?.message.contains("given twice") == true)
    }

    @Test func tofuIsAcceptNewInDefaultsToo() throws {
        let configuration = try parse("defaults: { host_key_policy: tofu }\n")
        #expect(configuration.defaults.hostKeyPolicy == .acceptNew)
    }
}
