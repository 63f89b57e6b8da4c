import Baselines
import ConfigDiff
import DeviceLab
import Foundation
import GRDB
import Logging
import SSHTransport
import Synchronization
import Testing

@testable import DriftWatch

#if canImport(Glibc)
    import Glibc
#endif

/// A log handler that keeps every rendered line (message and metadata) in memory, so tests can
/// look for canaries in what the watcher logs at debug level.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    let sink: Lines
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)") }
    }
}

/// A lab-backed install for watcher tests: a real `driftwatch.yaml` in a temporary folder
/// (loaded by ``buildWatcher(configPath:catalog:transport:options:registry:extraServices:environment:logger:)``),
/// `known_hosts` trusting the lab, profiles adapted to the lab, and helpers to wait on states.
struct WatcherWorld {
    /// A device of the inventory: its lab device (nil for an address nothing listens on), its
    /// platform profile and how it authenticates.
    struct Entry {
        var name: String
        var lab: LabDevice?
        var platform: String
        var port: Int
        var refusedAuth = false
        var trusted = true
    }

    let lab: DeviceLab
    let folder: URL
    let entries: [Entry]
    let catalog: ProfileCatalog
    let environment: [String: String]
    var configPath: String { folder.appendingPathComponent("driftwatch.yaml").path }
    var statePath: String { folder.appendingPathComponent(".driftwatch/state.sqlite").path }
    var knownHostsPath: String { folder.appendingPathComponent(".driftwatch/known_hosts").path }

    static func platform(of device: LabDevice, junosSet: Bool) -> String {
        switch device.platform {
        case .ciscoIOS: return "cisco_ios"
        case .aristaEOS: return "arista_eos"
        case .junos: return junosSet ? "juniper_junos_set" : "juniper_junos"
        case .linux: return "linux"
        }
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    static func closedPort() throws -> Int { try Loopback.freePort() }

    /// A free UDP/TCP port on 127.0.0.1 for the syslog listener (bound, then closed).
    static func freePort() throws -> Int { try Loopback.freePort() }

    /// Sends one UDP datagram to 127.0.0.1:`port` (a device's syslog message).
    static func sendUDP(_ text: String, port: Int) throws { try Loopback.sendUDP(text, port: port) }

    /// Makes the folder and writes `driftwatch.yaml`.
    static func make(
        lab: DeviceLab, entries: [Entry], interval: String, timeout: String = "3s", timeLimit: String = "6s",
        concurrency: Int = 8, syslogPort: Int? = nil, extra: String = "", extraEnvironment: [String: String] = [:]
    ) throws -> WatcherWorld {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-watch-\(UUID().uuidString)")
        let state = folder.appendingPathComponent(".driftwatch")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        var knownHosts = ""
        for entry in entries where entry.trusted {
            if let device = entry.lab { knownHosts += lab.knownHostsLines(for: device) }
        }
        try knownHosts.write(to: state.appendingPathComponent("known_hosts"), atomically: true, encoding: .utf8)
        var catalog = try ProfileCatalog()
        var junos = try catalog.profile(PlatformID("juniper_junos"))
        junos.collection.commands = [CollectionHints.Item(name: "show configuration", source: "show configuration")]
        catalog.add(junos)
        if let host = entries.first(where: { $0.platform == "linux" }), let device = host.lab {
            var linux = try catalog.profile(PlatformID("linux"))
            linux.collection.files = [
                CollectionHints.Item(
                    name: "/etc/ssh/sshd_config", source: try lab.filePath(device: device.name, path: "etc/ssh/sshd_config")),
                CollectionHints.Item(
                    name: "/etc/snmp/snmpd.conf", source: try lab.filePath(device: device.name, path: "etc/snmp/snmpd.conf")),
            ]
            linux.collection.commands = []
            catalog.add(linux)
        }
        let world = WatcherWorld(
            lab: lab, folder: folder, entries: entries, catalog: catalog,
            environment: [
                "LAB_ENABLE": lab.enableSecret, "LAB_WRONG_PASSWORD": "not-the-lab-password", "USER": "alice",
            ].merging(extraEnvironment) { $1 })
        try world.writeConfiguration(
            interval: interval, timeout: timeout, timeLimit: timeLimit, concurrency: concurrency,
            syslogPort: syslogPort, extra: extra, entries: entries)
        return world
    }

    /// Writes `driftwatch.yaml` for `entries`.
    func writeConfiguration(
        interval: String, timeout: String = "3s", timeLimit: String = "6s", concurrency: Int = 8,
        syslogPort: Int? = nil, extra: String = "", entries: [Entry]
    ) throws {
        var yaml = """
            state: .driftwatch/state.sqlite
            baselines: baselines
            defaults: { interval: \(interval), timeout: \(timeout), time_limit: \(timeLimit), concurrency: \(concurrency), host_key_policy: strict }
            approvers:
              - { name: alice, groups: [lab] }

            """
        if let syslogPort { yaml += "syslog: { listen: 127.0.0.1:\(syslogPort) }\n" }
        yaml += extra
        yaml += "devices:\n"
        for entry in entries {
            let credentials =
                entry.refusedAuth
                ? "{ username: \(lab.username), password_env: LAB_WRONG_PASSWORD }"
                : "{ username: \(lab.username), key_file: \(lab.clientKeyPath(.ed25519)), enable_password_env: LAB_ENABLE }"
            yaml +=
                "  - { name: \(entry.name), host: 127.0.0.1, port: \(entry.port), platform: \(entry.platform), groups: [lab], credentials: \(credentials) }\n"
        }
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// The world's devices as lab entries, platform by lab platform.
    static func entries(_ lab: DeviceLab, junosSet: Set<String> = []) -> [Entry] {
        lab.devices.map {
            Entry(name: $0.name, lab: $0, platform: platform(of: $0, junosSet: junosSet.contains($0.name)), port: $0.port)
        }
    }

    /// A one-shot context on the same files (for approving baselines and reading the store).
    func context() throws -> OneShotContext {
        let configuration = try ConfigurationLoader(knownPlatforms: Set(catalog.ids.map(\.rawValue))).load(
            path: configPath)
        return try OneShotContext.open(configuration: configuration, catalog: catalog)
    }

    /// Approves the latest stored snapshot of each device as its next baseline.
    func approveLatest(_ names: [String], store: any StateStore, baselines: BaselineStore) async throws {
        for name in names {
            guard let latest = try await store.latestSnapshot(device: name) else {
                Issue.record("\(name) has no snapshot to approve")
                continue
            }
            let head = try baselines.chain(for: name).latestVersion()
            let platform = entries.first { $0.name == name }?.platform ?? "cisco_ios"
            _ = try baselines.approve(
                device: name, config: latest.content.text,
                draft: ApprovalDraft(
                    approver: "alice", reason: "watcher test", source: ApprovalSource(.snapshot, "\(latest.info.id)"),
                    platform: platform),
                expectedHead: head)
        }
    }

    /// Replaces the `known_hosts` keys of `device` by a random ed25519 key (as if the device
    /// had been replaced).
    func changeHostKey(of device: LabDevice) throws {
        let token = "[\(device.host)]:\(device.port) "
        let kept = try String(contentsOfFile: knownHostsPath, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix(token) }.joined(separator: "\n")
        try (kept + "\n").write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
        var blob: [UInt8] = [0, 0, 0, 11] + Array("ssh-ed25519".utf8) + [0, 0, 0, 32]
        blob += (0..<32).map { _ in UInt8.random(in: 0...255) }
        try KnownHosts(path: knownHostsPath).append(
            host: device.host, port: device.port, keyType: "ssh-ed25519", keyBlob: blob)
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes; returns how long it took
    /// (nil on timeout).
    static func waitFor(
        _ timeout: Duration, _ condition: () async throws -> Bool
    ) async rethrows -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if try await condition() { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition() ? ContinuousClock.now - start : nil
    }

    /// The bytes of the SQLite database and its WAL.
    func databaseBytes() -> [Data] {
        [statePath, statePath + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
    }

    /// Checks what a restarted watcher must find: a sound file, snapshot texts that match their
    /// hashes, an intact audit chain. Returns the problems.
    static func soundnessProblems(statePath: String) async throws -> [String] {
        let store = try SQLiteStateStore(path: statePath)
        var problems = try await store.integrityProblems()
        problems += try await store.verifyAudit().map { "audit: \($0)" }
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT sha256, text, size FROM snapshot_contents")
        }
        for row in rows {
            let sha: String = row["sha256"]
            let text: String = row["text"]
            if SnapshotContent(storedText: text).sha256 != sha { problems.append("snapshot text \(sha) does not match") }
        }
        let orphans = try await store.pool.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM snapshots s LEFT JOIN snapshot_contents c ON c.sha256 = s.content_sha256 WHERE c.sha256 IS NULL"
            ) ?? 0
        }
        if orphans > 0 { problems.append("\(orphans) snapshots without text") }
        return problems
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

extension WatcherWorld {
    /// The built `driftwatch` binary run on this world's configuration, as a user runs it: one-shot
    /// commands to completion, `watch` as a child process left running.
    struct CLI {
        let world: WatcherWorld
        let binary: String
        /// Environment variables on top of the process's and the world's.
        var extra: [String: String] = [:]

        var environment: [String: String] {
            ProcessInfo.processInfo.environment.merging(world.environment) { $1 }.merging(extra) { $1 }
        }

        func run(_ arguments: [String]) async throws -> ChildProcess.Result {
            try await ChildProcess.run(
                binary, arguments + ["--config", world.configPath], in: world.folder, environment: environment)
        }

        func watch() throws -> ChildProcess {
            try ChildProcess.start(
                binary, ["watch", "--config", world.configPath, "--log-level", "debug"], in: world.folder,
                environment: environment)
        }
    }
}
