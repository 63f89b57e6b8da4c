import ConfigDiff
import DriftWatch
import Foundation
import Logging

/// `driftwatch-bench collect`: collects every device of a `lab` description with DriftWatch's
/// production path, the same as `driftwatch collect`: ``DriftCheck`` over ``Collector`` and
/// ``SSHDeviceTransport`` (IOS profile: PTY shell, `terminal length 0`, `enable`, `show
/// running-config`), normalize and mask, snapshot and device state in a fresh SQLite state store in
/// a temp folder, host keys verified strictly against known_hosts.
///
/// Prints one JSON object: devices, ok, collection seconds (first connect to last store) and
/// devices per second. CPU and peak RSS are measured by the parent (getrusage of the child).
/// Options: `--lab FILE` (default `lab.json`), `--concurrency N` (default 32), `--devices N`
/// (the first N of the lab), `--mode shell|exec` (default `shell`, the production IOS profile;
/// `exec` is the like-for-like row beside asyncssh: the same profile with `collect.mode: exec`,
/// so `show running-config` runs on an exec channel, no PTY, no `enable`; everything after the
/// capture, normalize, mask and the state store, is the same).
enum CollectBenchmark {
    static func main(_ arguments: [String]) async throws -> Int32 {
        var labPath = "lab.json"
        var concurrency = 32
        var limit: Int?
        var mode = CollectionHints.Mode.shell
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--lab": labPath = iterator.next() ?? labPath
            case "--concurrency": concurrency = iterator.next().flatMap(Int.init) ?? concurrency
            case "--devices": limit = iterator.next().flatMap(Int.init)
            case "--mode":
                guard let value = iterator.next().flatMap(CollectionHints.Mode.init(rawValue:)), value != .files else {
                    throw BenchFailure("collect: --mode takes shell or exec")
                }
                mode = value
            default:
                throw BenchFailure("collect: unknown option '\(argument)'; options: --lab FILE, --concurrency N, --devices N, --mode shell|exec")
            }
        }
        guard let data = FileManager.default.contents(atPath: labPath),
            let lab = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let username = lab["username"] as? String, let keyFile = lab["key_file"] as? String,
            let knownHostsPath = lab["known_hosts"] as? String, let enable = lab["enable_secret"] as? String,
            let host = lab["host"] as? String, let labDevices = lab["devices"] as? [[String: Any]]
        else {
            throw BenchFailure("collect: cannot read the lab description \(labPath); start 'driftwatch-bench lab' first")
        }
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-bench-\(UUID().uuidString)")
        let state = folder.appendingPathComponent(".driftwatch")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: knownHostsPath, toPath: state.appendingPathComponent("known_hosts").path)

        var devices: [DeviceEntry] = []
        for entry in labDevices.prefix(limit ?? labDevices.count) {
            guard let name = entry["name"] as? String, let port = entry["port"] as? Int else { continue }
            devices.append(
                DeviceEntry(
                    name: name, host: host, port: port, platform: "cisco_ios", groups: ["bench"],
                    credentials: CredentialReference(username: username, keyFile: keyFile, enablePasswordEnv: "BENCH_ENABLE")))
        }
        let configuration = DriftWatchConfiguration(
            file: folder.appendingPathComponent("driftwatch.yaml").path, folder: folder,
            defaults: CollectionDefaults(timeout: .seconds(60), timeLimit: .seconds(300), concurrency: concurrency),
            devices: devices)
        var catalog = try ProfileCatalog()
        if mode == .exec {
            var profile = try catalog.profile(.ciscoIOS)
            profile.collection.mode = .exec
            profile.collection.enable = false
            profile.collection.setup = []
            catalog.add(profile)
        }
        let context = try OneShotContext.open(configuration: configuration, catalog: catalog)
        let logger = Logger(label: "driftwatch.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let check = try context.driftCheck(environment: ["BENCH_ENABLE": enable], logger: logger)

        let start = ContinuousClock.now
        let report = await check.run(devices)
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let ok = report.devices.filter { $0.collection == .ok }
        let failures = report.devices.filter { $0.collection != .ok }.prefix(3).map {
            "\($0.device): \($0.collection.rawValue) \($0.message ?? "")"
        }
        let result: [String: Any] = [
            "tool": mode == .exec ? "driftwatch-exec" : "driftwatch",
            "mode": mode == .exec
                ? "exec channel (like asyncssh), IOS profile otherwise" : "shell (PTY, terminal length 0, enable), IOS profile",
            "devices": devices.count, "ok": ok.count, "concurrency": concurrency,
            "collection_seconds": seconds, "devices_per_second": Double(ok.count) / max(seconds, 1e-9),
            "failures": failures,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
        return ok.count == devices.count ? 0 : 1
    }
}
