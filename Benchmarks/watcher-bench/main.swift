// watcher-bench: the watcher's memory and CPU with a large inventory.
//
// Starts a DeviceLab (16 real devices), writes a driftwatch.yaml with N devices (the 16 lab
// devices, the rest unreachable addresses on loopback: 127.2.x.y port 9, nothing listens),
// runs `driftwatch watch` for M minutes, samples the process's RSS and CPU time from /proc every
// 10 s, then stops it with SIGTERM and prints the figures.
//
//   watcher-bench --binary PATH [--devices 10000] [--minutes 10] [--interval 5m] [--concurrency 32] [--out FILE.json]
//
// --out writes {"part": "watcher", devices, minutes, peak_rss_mb, last_rss_mb, cpu_seconds,
// cpu_percent_of_one_core, target_rss_mb, met, samples: [{t, rss_mb, cpu_s, load_1m}], ...}.
import DeviceLab
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var binary = ""
    var devices = 10_000
    var minutes = 10.0
    var interval = "5m"
    var concurrency = 32
    var out: String?
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        let value = arguments.next() ?? ""
        switch argument {
        case "--binary": options.binary = value
        case "--devices": options.devices = Int(value) ?? options.devices
        case "--minutes": options.minutes = Double(value) ?? options.minutes
        case "--interval": options.interval = value
        case "--concurrency": options.concurrency = Int(value) ?? options.concurrency
        case "--out": options.out = value
        default:
            FileHandle.standardError.write(Data("watcher-bench: unknown option \(argument)\n".utf8))
            exit(64)
        }
    }
    if options.binary.isEmpty {
        FileHandle.standardError.write(Data("watcher-bench: --binary PATH (the driftwatch binary) is required\n".utf8))
        exit(64)
    }
    return options
}

/// RSS in KiB and CPU seconds (user + system) of `pid`, from /proc.
func sample(_ pid: Int32) -> (rssKiB: Int, cpuSeconds: Double)? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    else { return nil }
    let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap {
        Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    } ?? 0
    // Fields after the command name (which is in parentheses and may contain spaces).
    guard let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after ") state".
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    return (rss, (user + system) / ticks)
}

let options = parse()
let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(
    at: folder.appendingPathComponent(".driftwatch"), withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let specs = (0..<16).map { LabDeviceSpec("lab\($0)", platform: $0 % 2 == 0 ? .ciscoIOS : .aristaEOS) }
try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in
    var knownHosts = ""
    var yaml = """
        state: .driftwatch/state.sqlite
        baselines: baselines
        defaults: { interval: \(options.interval), timeout: 5s, time_limit: 20s, concurrency: \(options.concurrency), host_key_policy: strict }
        devices:

        """
    for device in lab.devices {
        knownHosts += lab.knownHostsLines(for: device)
        let platform = device.platform == .ciscoIOS ? "cisco_ios" : "arista_eos"
        yaml +=
            "  - { name: \(device.name), host: 127.0.0.1, port: \(device.port), platform: \(platform), credentials: { username: \(lab.username), key_file: \(lab.clientKeyPath(.ed25519)), enable_password_env: LAB_ENABLE } }\n"
    }
    for index in 0..<max(0, options.devices - lab.devices.count) {
        yaml +=
            "  - { name: dead\(index), host: 127.2.\(index / 250).\(index % 250 + 1), port: 9, platform: cisco_ios, credentials: { username: nobody, key_file: \(lab.clientKeyPath(.ed25519)) } }\n"
    }
    try knownHosts.write(to: folder.appendingPathComponent(".driftwatch/known_hosts"), atomically: true, encoding: .utf8)
    let config = folder.appendingPathComponent("driftwatch.yaml").path
    try yaml.write(toFile: config, atomically: true, encoding: .utf8)

    var environment = ProcessInfo.processInfo.environment
    environment["LAB_ENABLE"] = lab.enableSecret
    let watch = try ChildProcess.start(
        options.binary, ["watch", "--config", config, "--log-level", "warning"], in: folder, environment: environment)
    print("watcher-bench: \(options.devices) devices (\(lab.devices.count) reachable), interval \(options.interval), concurrency \(options.concurrency), \(options.minutes) min, pid \(watch.pid)")
    print("   t (s)   RSS (MB)    CPU (s)    CPU %")
    let start = ContinuousClock.now
    var previous: (time: ContinuousClock.Instant, cpu: Double)?
    var peak = 0
    var last: (rssKiB: Int, cpuSeconds: Double)?
    var samples: [[String: Double]] = []
    let total = Duration.seconds(options.minutes * 60)
    while ContinuousClock.now - start < total {
        try await Task.sleep(for: .seconds(10))
        guard let now = sample(watch.pid) else {
            print("watcher-bench: the watcher exited early")
            break
        }
        let instant = ContinuousClock.now
        let elapsed = Double((instant - start).components.seconds)
        var percent = 0.0
        if let previous {
            let wall = Double((instant - previous.time).components.seconds) + Double((instant - previous.time).components.attoseconds) / 1e18
            percent = (now.cpuSeconds - previous.cpu) / wall * 100
        }
        previous = (instant, now.cpuSeconds)
        peak = max(peak, now.rssKiB)
        last = now
        print(String(format: "%8.0f %10.1f %10.2f %8.1f", elapsed, Double(now.rssKiB) / 1024, now.cpuSeconds, percent))
        samples.append(["t": elapsed, "rss_mb": Double(now.rssKiB) / 1024, "cpu_s": now.cpuSeconds, "load_1m": loadAverage()])
    }
    let runSeconds = Double((ContinuousClock.now - start).components.seconds)
    let stopAsked = ContinuousClock.now
    watch.signal(SIGTERM)
    let result = await watch.wait()
    let stopTime = ContinuousClock.now - stopAsked
    let database = folder.appendingPathComponent(".driftwatch/state.sqlite").path
    let size = ((try? FileManager.default.attributesOfItem(atPath: database)[.size]) as? Int) ?? 0
    print(
        String(
            format: "watcher-bench: peak RSS %.1f MB (target <= 150 MB), last RSS %.1f MB, CPU %.1f s over %.0f s (%.1f %% of one core), state file %.1f MB",
            Double(peak) / 1024, Double(last?.rssKiB ?? 0) / 1024, last?.cpuSeconds ?? 0, runSeconds,
            (last?.cpuSeconds ?? 0) / max(1, runSeconds) * 100, Double(size) / 1_048_576))
    print("watcher-bench: SIGTERM -> exit \(result.status) in \(stopTime)")
    if result.status != 0 { print(result.error.suffix(2000)) }
    if let out = options.out {
        let peakMB = Double(peak) / 1024
        let report: [String: Any] = [
            "part": "watcher", "devices": options.devices, "reachable": lab.devices.count, "minutes": options.minutes,
            "interval": options.interval, "concurrency": options.concurrency,
            "peak_rss_mb": peakMB, "last_rss_mb": Double(last?.rssKiB ?? 0) / 1024,
            "cpu_seconds": last?.cpuSeconds ?? 0, "run_seconds": runSeconds,
            "cpu_percent_of_one_core": (last?.cpuSeconds ?? 0) / max(1, runSeconds) * 100,
            "target_rss_mb": 150, "met": peak > 0 && peakMB <= 150, "exit_status": Int(result.status),
            "state_file_mb": Double(size) / 1_048_576, "samples": samples,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: out))
    }
}

/// The 1-minute load average (the machine is shared: every sample records it).
func loadAverage() -> Double {
    var loads = [Double](repeating: 0, count: 3)
    return getloadavg(&loads, 3) > 0 ? loads[0] : -1
}
