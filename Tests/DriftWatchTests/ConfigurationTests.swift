import Foundation
import Testing

@testable import DriftWatch

@Suite struct ConfigurationTests {
    /// The example of DESIGN §3, verbatim.
    static let designExample = """
        state: .driftwatch/state.sqlite        # or a postgres:// URL for several watchers
        baselines: baselines
        defaults: { interval: 5m, timeout: 30s, concurrency: 32, host_key_policy: strict }
        alerts:
          email:
            smtp: { host: smtp.example.net, port: 587, starttls: true, ca_file: /etc/ssl/certs/corp-ca.pem,
                    username_env: SMTP_USER, password_env: SMTP_PASS }
            from: driftwatch@example.net
            to: [oncall@example.net]
          reminder_after: 4h
          digest: { threshold: 10, window: 60s }  # ≥ 10 devices drifting within 60 s: one digest email
        approvers:
          - { name: alice, groups: [core, edge] }
        devices:
          - { name: core-sw-01, host: 192.0.2.10, port: 22, platform: cisco_ios, groups: [core],
              credentials: { username: netops, key_file: ~/.ssh/id_ed25519, enable_password_env: CORE_ENABLE } }
          - { name: web-01, host: 192.0.2.20, platform: linux, groups: [servers],
              credentials: { username: audit, key_file: ~/.ssh/id_ed25519 } }
        syslog: { listen: 0.0.0.0:5514 }
        http:   { listen: 127.0.0.1:9180 }
        maintenance_windows:
          - { groups: [core], every: sunday, from: "02:00", to: "04:00", timezone: UTC }
        """

    let loader = ConfigurationLoader(knownPlatforms: ["cisco_ios", "linux", "arista_eos"])
    let folder = URL(fileURLWithPath: "/srv/dw")

    func parse(_ text: String) throws -> DriftWatchConfiguration {
        try loader.parse(text, file: "/srv/dw/driftwatch.yaml", folder: folder)
    }

    func failure(_ text: String) -> DriftWatchError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as DriftWatchError {
            return error
        } catch {
            return nil
        }
    }

    @Test func designExampleLoads() throws {
        let configuration = try parse(Self.designExample)
        #expect(configuration.devices.map(\.name) == ["core-sw-01", "web-01"])
        let core = try configuration.device(named: "core-sw-01")
        #expect(core.port == 22 && core.platform == "cisco_ios" && core.groups == ["core"] && core.line == 15)
        #expect(core.credentials.keyFile == "~/.ssh/id_ed25519" && core.credentials.enablePasswordEnv == "CORE_ENABLE")
        #expect(configuration.defaults.interval == .seconds(300) && configuration.defaults.timeout == .seconds(30))
        #expect(configuration.defaults.concurrency == 32 && configuration.defaults.hostKeyPolicy == .strict)
        #expect(configuration.alerts?.email?.smtpPort == 587 && configuration.alerts?.email?.passwordEnv == "SMTP_PASS")
        #expect(configuration.alerts?.digest == DigestSettings(threshold: 10, window: .seconds(60)))
        #expect(configuration.alerts?.reminderAfter == .seconds(4 * 3600))
        #expect(configuration.approvers.first?.groups == ["core", "edge"])
        #expect(configuration.syslog?.listen == "0.0.0.0:5514" && configuration.http?.listen == "127.0.0.1:9180")
        #expect(configuration.maintenanceWindows.first?.every == "sunday")
        #expect(configuration.stateFolder.path == "/srv/dw/.driftwatch")
        #expect(configuration.baselinesFolder.path == "/srv/dw/baselines")
        #expect(ConfigurationLoader.topLevelKeys.count == 12)
    }

    @Test func emptyFileGivesDefaults() throws {
        let configuration = try parse("")
        #expect(configuration.devices.isEmpty && configuration.state == ".driftwatch/state.sqlite")
    }

    @Test func unknownTopLevelKeyNamesFileLineAndKey() {
        let error = failure("baselines: baselines\napprover:\n  - { name: a, groups: [x] }\n")
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.file == "/srv/dw/driftwatch.yaml")
        #expect(error?.line == 2)
        #expect(error?.message.contains("key 'approver': unknown key") == true)
        #expect(error?.description.hasPrefix("/srv/dw/driftwatch.yaml:2: ") == true)
    }

    @Test func unknownNestedKeyNamesItsPath() {
        let text = Self.designExample.replacingOccurrences(of: "groups: [servers],", with: "group: [servers],")
        let error = failure(text)
        #expect(error?.line == 17)
        #expect(error?.message.contains("devices[1].group") == true)
    }

    @Test func inlineSecretsAreRefused() {
        let text = Self.designExample.replacingOccurrences(
            of: "enable_password_env: CORE_ENABLE", with: "enable_password: hunter2")
        let error = failure(text)
        #expect(error?.message.contains("devices[0].credentials.enable_password") == true)
        #expect(error?.message.contains("enable_password_env or enable_password_file") == true)
        #expect(error?.description.contains("hunter2") == false)
        let smtp = failure(
            Self.designExample.replacingOccurrences(of: "password_env: SMTP_PASS", with: "password: s3cret"))
        #expect(smtp?.message.contains("alerts.email.smtp.password") == true)
    }

    @Test(arguments: [
        ("port: 22", "port: 70000", "devices[0].port"),
        ("interval: 5m", "interval: soon", "defaults.interval"),
        ("host_key_policy: strict", "host_key_policy: yolo", "defaults.host_key_policy"),
        ("platform: cisco_ios", "platform: cisco_iox", "devices[0].platform"),
        (
            "enable_password_env: CORE_ENABLE", "enable_password_env: 9-bad",
            "devices[0].credentials.enable_password_env"
        ),
        ("from: \"02:00\"", "from: \"25:00\"", "maintenance_windows[0].from"),
        ("listen: 0.0.0.0:5514", "listen: everywhere", "syslog.listen"),
        ("to: [oncall@example.net]", "to: [oncall]", "alerts.email.to[0]"),
        ("threshold: 10", "threshold: ten", "alerts.digest.threshold"),
    ])
    func badValuesNameTheKey(_ original: String, _ replacement: String, _ key: String) {
        let text = Self.designExample.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.designExample)
        let error = failure(text)
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("'\(key)'") == true, "\(error?.description ?? "accepted")")
        #expect(error?.line != nil)
    }

    @Test func duplicateDevicesAndApproversAreRefused() {
        let twice = Self.designExample.replacingOccurrences(of: "name: web-01", with: "name: core-sw-01")
        #expect(failure(twice)?.message.contains("listed twice (first at line 15)") == true)
        let approvers = "approvers:\n  - { name: a, groups: [x] }\n  - { name: a, groups: [y] }\n"
        #expect(failure(approvers)?.line == 3)
    }

    @Test func syntaxErrorHasLine() {
        let error = failure("devices:\n  - { name: a, host: b\n")
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.line != nil)
        #expect(error?.message.contains("not valid YAML") == true)
    }

    @Test func missingRequiredKey() {
        let error = failure("devices:\n  - { name: r1, platform: linux }\n")
        #expect(error?.message.contains("missing required key 'host'") == true)
        #expect(error?.line == 2)
    }

    @Test func missingFileSaysWhatToDo() {
        #expect { try loader.load(path: "/nonexistent/driftwatch.yaml") } throws: {
            ($0 as? DriftWatchError)?.code == .configurationNotFound
        }
    }

    @Test func durations() {
        #expect(ConfigurationLoader.parseDuration("1h30m") == .seconds(5400))
        #expect(ConfigurationLoader.parseDuration("250ms") == .milliseconds(250))
        #expect(ConfigurationLoader.parseDuration("5") == nil)
        #expect(ConfigurationLoader.parseDuration("m5") == nil)
        #expect(ConfigurationLoader.parseDuration("5x") == nil)
    }
}
