import Baselines
import ConfigDiff
import DeviceLab
import Foundation
import Logging
import Testing

@testable import DriftWatch

extension Tag {
    /// Tests that start a real sshd device lab.
    @Tag static var lab: Self
}

/// A folder with a `driftwatch.yaml`-equivalent configuration over a running lab: state folder,
/// known_hosts, baselines, and profiles adapted to the lab (JunOS without `| display omit`,
/// which the emulator does not know; Linux files from the lab's file tree).
struct CollectorWorld {
    let lab: DeviceLab
    let folder: URL
    let context: OneShotContext
    let environment: [String: String]

    static let logger = Logger(label: "driftwatch.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Builds the world; `trusted` devices get their host keys in `<state>/known_hosts`.
    static func make(
        lab: DeviceLab, password: [String] = [], refused: [String] = [], trusted: [String]? = nil,
        timeout: Duration = .seconds(5),
        timeLimit: Duration = .seconds(20), environment: [String: String] = [:]
    ) throws -> CollectorWorld {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "dw-collect-\(UUID().uuidString)")
        let state = folder.appendingPathComponent(".driftwatch")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        var devices: [DeviceEntry] = []
        var knownHosts = ""
        for device in lab.devices {
            let platform: String
            switch device.platform {
            case .ciscoIOS: platform = "cisco_ios"
            case .junos: platform = "juniper_junos"
            case .aristaEOS: platform = "arista_eos"
            case .linux: platform = "linux"
            }
            let credentials =
                refused.contains(device.name)
                ? CredentialReference(username: lab.username, passwordEnv: "LAB_WRONG_PASSWORD")
                : password.contains(device.name)
                    ? CredentialReference(
                        username: lab.username, passwordEnv: "LAB_PASSWORD", enablePasswordEnv: "LAB_ENABLE")
                    : CredentialReference(
                        username: lab.username, keyFile: lab.clientKeyPath(.ed25519), enablePasswordEnv: "LAB_ENABLE")
            devices.append(
                DeviceEntry(
                    name: device.name, host: device.host, port: device.port, platform: platform, groups: ["lab"],
                    credentials: credentials))
            if trusted?.contains(device.name) ?? true { knownHosts += lab.knownHostsLines(for: device) }
        }
        try knownHosts.write(to: state.appendingPathComponent("known_hosts"), atomically: true, encoding: .utf8)
        let configuration = DriftWatchConfiguration(
            file: folder.appendingPathComponent("driftwatch.yaml").path, folder: folder,
            defaults: CollectionDefaults(
                interval: .seconds(300), timeout: timeout, timeLimit: timeLimit, concurrency: 8, hostKeyPolicy: .strict),
            devices: devices)
        var catalog = try ProfileCatalog()
        var junos = try catalog.profile(PlatformID("juniper_junos"))
        junos.collection.commands = [CollectionHints.Item(name: "show configuration", source: "show configuration")]
        catalog.add(junos)
        var linux = try catalog.profile(PlatformID("linux"))
        if let host = lab.devices.first(where: { $0.platform == .linux }) {
            linux.collection.files = [
                CollectionHints.Item(
                    name: "/etc/ssh/sshd_config",
                    source: try lab.filePath(device: host.name, path: "etc/ssh/sshd_config")),
                CollectionHints.Item(
                    name: "/etc/snmp/snmpd.conf",
                    source: try lab.filePath(device: host.name, path: "etc/snmp/snmpd.conf")),
                CollectionHints.Item(
                    name: "/etc/nftables.conf", source: try lab.filePath(device: host.name, path: "etc/nftables.conf")),
            ]
            linux.collection.commands = [
                CollectionHints.Item(
                    name: "hostname-file", source: "cat \(try lab.filePath(device: host.name, path: "etc/hostname"))"),
                CollectionHints.Item(name: "not-permitted", source: "exit 3"),
            ]
        }
        catalog.add(linux)
        let context = try OneShotContext.open(configuration: configuration, catalog: catalog)
        var env = [
            "LAB_PASSWORD": lab.password, "LAB_ENABLE": lab.enableSecret, "LAB_WRONG_PASSWORD": "not-the-lab-password",
        ]
        env.merge(environment) { $1 }
        return CollectorWorld(lab: lab, folder: folder, context: context, environment: env)
    }

    func driftCheck(options: CollectorOptions = CollectorOptions()) throws -> DriftCheck {
        try context.driftCheck(options: options, environment: environment, logger: Self.logger)
    }

    func device(_ name: String) throws -> DeviceEntry { try context.configuration.device(named: name) }

    /// Approves the device's latest stored snapshot as its next baseline (BaselineStore API).
    func approveLatest(_ name: String) async throws {
        guard let latest = try await context.store.latestSnapshot(device: name) else {
            Issue.record("\(name) has no snapshot")
            return
        }
        let head = try context.baselines.chain(for: name).latestVersion()
        _ = try context.baselines.approve(
            device: name, config: latest.content.text,
            draft: ApprovalDraft(
                approver: "alice", reason: "test", source: ApprovalSource(.snapshot, "\(latest.info.id)"),
                platform: try device(name).platform),
            expectedHead: head)
    }

    /// The bytes of the SQLite database and its WAL.
    func databaseBytes() -> [Data] {
        let path = context.configuration.resolve(context.configuration.state).path
        return [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
