import DeviceLab
import Foundation
import UnixSignals

/// `driftwatch-bench lab`: starts a DeviceLab of N IOS-like devices serving one corpus
/// configuration, writes a JSON description for the clients, and runs until SIGTERM or SIGINT.
///
/// The lab lives in its own process so that the measured clients (`collect`, the Python peers)
/// never pay for it. Options: `--devices N` (default 200), `--config FILE` (default
/// `Tests/Fixtures/ios/ciscoconfparse__sample_01.cfg`), `--out FILE` (default `lab.json`).
/// The description holds host, ports, username, client key, known_hosts file and enable secret.
enum LabCommand {
    static func main(_ arguments: [String]) async throws -> Int32 {
        var count = 200
        var configPath = "Tests/Fixtures/ios/ciscoconfparse__sample_01.cfg"
        var outPath = "lab.json"
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--devices": count = iterator.next().flatMap(Int.init) ?? count
            case "--config": configPath = iterator.next() ?? configPath
            case "--out": outPath = iterator.next() ?? outPath
            default: throw BenchFailure("lab: unknown option '\(argument)'; options: --devices N, --config FILE, --out FILE")
            }
        }
        guard count > 0 else { throw BenchFailure("lab: --devices must be at least 1") }
        guard let corpus = try? String(contentsOfFile: configPath, encoding: .utf8) else {
            throw BenchFailure("lab: cannot read \(configPath); run from the package root or pass --config")
        }
        let started = ContinuousClock.now
        let specs = (1...count).map { LabDeviceSpec(String(format: "bench%04d", $0), platform: .ciscoIOS) }
        let lab = try await DeviceLab.start(DeviceLabOptions(devices: specs))
        do {
            var knownHosts = ""
            for device in lab.devices {
                try lab.setConfig(device: device.name, Self.config(corpus, hostname: device.name))
                knownHosts += lab.knownHostsLines(for: device)
            }
            let knownHostsPath = "\(lab.directory)/bench_known_hosts"
            try knownHosts.write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
            let description: [String: Any] = [
                "host": "127.0.0.1",
                "username": lab.username,
                "password": lab.password,
                "enable_secret": lab.enableSecret,
                "key_file": lab.clientKeyPath(.ed25519),
                "known_hosts": knownHostsPath,
                "directory": lab.directory,
                "config_file": configPath,
                "config_lines": corpus.split(separator: "\n", omittingEmptySubsequences: false).count,
                "config_bytes": corpus.utf8.count,
                "devices": lab.devices.map { ["name": $0.name, "port": $0.port] },
                "pid": Int(getpid()),
            ]
            let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: outPath), options: .atomic)
            let seconds = Double(started.duration(to: .now).components.seconds)
            FileHandle.standardOutput.write(Data("lab: \(count) devices ready in \(Int(seconds)) s; description in \(outPath); SIGTERM stops it\n".utf8))
            for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { break }
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
        return 0
    }

    /// The corpus text with the device's own hostname, ending in a newline.
    static func config(_ corpus: String, hostname: String) -> String {
        var lines = corpus.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix("hostname ") }) { lines[index] = "hostname \(hostname)" }
        let text = lines.joined(separator: "\n")
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}

/// Why a benchmark subcommand could not run.
struct BenchFailure: Error, CustomStringConvertible {
    /// What failed and what to do.
    var description: String
    init(_ description: String) { self.description = description }
}
