// latency-bench: how long from editing a device's configuration to the alert email arriving.
//
// Starts a DeviceLab (one Cisco IOS device behind a real sshd) and a MailLab (aiosmtpd), approves
// the device's first collection as its baseline, runs `driftwatch watch` with the given poll
// interval and a syslog listener, then changes the device's configuration N times in each mode
// and times each change until its email (DRIFT, then UPDATED) lands in the SMTP server's
// Maildir:
//
// - poll: the change is made at a random moment of the poll cycle (a uniform wait of 0..interval
//   after the previous email) and nothing else tells the watcher;
// - syslog: the change is followed at once by the device's `%SYS-5-CONFIG_I` syslog message.
//
// Prints a table and writes JSON: {"part":"latency","poll":{"p50_s","p95_s","n",…},"syslog":{…},"interval_s"}.
//
//   latency-bench --binary PATH [--changes 20] [--interval 15] [--quick] [--out FILE.json]
import DeviceLab
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var binary = ""
    var changes = 20
    var interval = 15
    var out: String?
}

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("latency-bench: \(message)\n".utf8))
    exit(code)
}

func parse() -> Options {
    var options = Options()
    var quick = false
    var changesGiven = false
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--quick": quick = true
        case "--binary": options.binary = arguments.next() ?? ""
        case "--changes":
            guard let value = arguments.next().flatMap(Int.init), value > 0 else { fail("--changes N (N > 0)", code: 64) }
            options.changes = value
            changesGiven = true
        case "--interval":
            guard let value = arguments.next().flatMap(Int.init), value >= 2 else { fail("--interval SECONDS (>= 2)", code: 64) }
            options.interval = value
        case "--out": options.out = arguments.next()
        default: fail("unknown option \(argument)", code: 64)
        }
    }
    if quick && !changesGiven { options.changes = 5 }
    if options.binary.isEmpty { fail("--binary PATH (the driftwatch binary) is required", code: 64) }
    return options
}

/// A port on 127.0.0.1 free for TCP and UDP a moment ago.
func freePort() -> Int {
    do { return try Loopback.freePort() } catch { fail("\(error)") }
}

/// One UDP datagram to 127.0.0.1:`port`.
func sendUDP(_ text: String, port: Int) {
    do { try Loopback.sendUDP(text, port: port) } catch { fail("\(error)") }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Nearest-rank percentile of sorted `values`.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

struct Series {
    var name: String
    var samples: [Double] = []
    var sorted: [Double] { samples.sorted() }
    var p50: Double { percentile(sorted, 50) }
    var p95: Double { percentile(sorted, 95) }
    var json: [String: Any] {
        [
            "p50_s": (p50 * 1000).rounded() / 1000, "p95_s": (p95 * 1000).rounded() / 1000, "n": samples.count,
            "max_s": ((sorted.last ?? .nan) * 1000).rounded() / 1000,
            "samples_s": samples.map { ($0 * 1000).rounded() / 1000 },
        ]
    }
}

let options = parse()
let device = "lat-ios1"
let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-latency-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder.appendingPathComponent(".driftwatch"), withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let (poll, syslog) = try await DeviceLab.withLab(DeviceLabOptions(devices: [LabDeviceSpec(device, platform: .ciscoIOS)])) { lab in
    try await MailLab.withLab(MailLabOptions()) { mail -> (Series, Series) in
        var poll = Series(name: "poll")
        var syslog = Series(name: "syslog")
        let labDevice = try lab.device(device)
        let syslogPort = freePort()
        try lab.knownHostsLines(for: labDevice).write(
            to: folder.appendingPathComponent(".driftwatch/known_hosts"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("driftwatch.yaml").path
        let yaml = """
            state: .driftwatch/state.sqlite
            baselines: baselines
            defaults: { interval: \(options.interval)s, timeout: 5s, time_limit: 20s, concurrency: 8, host_key_policy: strict }
            approvers:
              - { name: bench, groups: [lab] }
            syslog: { listen: "127.0.0.1:\(syslogPort)" }
            alerts:
              email:
                smtp: { host: 127.0.0.1, port: \(mail.port), starttls: false }
                from: driftwatch@example.net
                to: [oncall@example.net]
            devices:
              - { name: \(device), host: 127.0.0.1, port: \(labDevice.port), platform: cisco_ios, groups: [lab], credentials: { username: \(lab.username), key_file: \(lab.clientKeyPath(.ed25519)), enable_password_env: LAB_ENABLE } }

            """
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["LAB_ENABLE"] = lab.enableSecret
        environment["USER"] = "bench"

        // The baseline: the device's first collection, approved.
        let base = try lab.config(device: device)
        for step in [["collect", device], ["baseline", "approve", device, "--snapshot", "latest", "--reason", "latency bench", "--yes"]] {
            let result = try await ChildProcess.run(options.binary, step + ["--config", config], in: folder, environment: environment)
            if result.status != 0 { fail("driftwatch \(step.joined(separator: " ")) failed: \(result.error)") }
        }

        let watch = try ChildProcess.start(
            options.binary, ["watch", "--config", config, "--log-level", "warning"], in: folder, environment: environment)
        print("latency-bench: 1 device, interval \(options.interval) s, \(options.changes) changes per mode, watcher pid \(watch.pid)")
        // The first round after start is spread over min(interval, 60 s).
        try await Task.sleep(for: .seconds(options.interval + 2))
        if try !mail.messages().isEmpty { fail("an email arrived before any change (is the device's first collection clean?)") }

        var change = 0
        func measure(_ series: inout Series, wait: Duration, syslogMessage: Bool) async throws {
            try await Task.sleep(for: wait)
            change += 1
            let before = try mail.messages().count
            let edited = base.replacingOccurrences(
                of: " description uplink-1 to core\n", with: " description latency change \(change)\n")
            try lab.setConfig(device: device, edited)
            let start = ContinuousClock.now
            if syslogMessage {
                sendUDP(
                    "<189>Dec  7 03:00:00 \(device) 4711: %SYS-5-CONFIG_I: Configured from console by bench on vty0 (192.0.2.9)",
                    port: syslogPort)
            }
            let limit = Duration.seconds(3 * options.interval + 30)
            while try mail.messages().count <= before {
                if ContinuousClock.now - start > limit {
                    fail("change \(change) (\(series.name)): no email after \(limit); server log: \(mail.serverLog().suffix(500))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let latency = seconds(ContinuousClock.now - start)
            series.samples.append(latency)
            print("  " + series.name.padding(toLength: 7, withPad: " ", startingAt: 0) + String(format: "change %3d: %6.2f s", change, latency))
        }

        for _ in 0..<options.changes {
            // A random moment of the poll cycle.
            let wait = Duration.milliseconds(Int.random(in: 0..<(options.interval * 1000)))
            try await measure(&poll, wait: wait, syslogMessage: false)
        }
        for _ in 0..<options.changes {
            // Past the 1 s debounce of the previous trigger, at a random moment.
            let wait = Duration.milliseconds(1500 + Int.random(in: 0..<2000))
            try await measure(&syslog, wait: wait, syslogMessage: true)
        }

        watch.signal(SIGTERM)
        let stopped = await watch.wait()
        if stopped.status != 0 { print("latency-bench: the watcher exited \(stopped.status): \(stopped.error.suffix(1000))") }
        return (poll, syslog)
    }
}

let pollTarget = 30.0
let syslogTarget = 5.0
print("")
print("mode      n    p50 (s)   p95 (s)   max (s)   target p95   met")
for (series, target) in [(poll, pollTarget), (syslog, syslogTarget)] {
    print(
        series.name.padding(toLength: 7, withPad: " ", startingAt: 0)
            + String(
                format: " %3d   %7.2f   %7.2f   %7.2f   <= %5.1f s    ", series.samples.count, series.p50, series.p95,
                series.sorted.last ?? .nan, target) + (series.p95 <= target ? "yes" : "NO"))
}
let report: [String: Any] = [
    "part": "latency", "interval_s": options.interval, "poll": poll.json, "syslog": syslog.json,
    "targets": ["poll_p95_s": pollTarget, "syslog_p95_s": syslogTarget],
    "met": ["poll": poll.p95 <= pollTarget, "syslog": syslog.p95 <= syslogTarget],
]
let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
if let out = options.out {
    try data.write(to: URL(fileURLWithPath: out))
    print("latency-bench: wrote \(out)")
} else {
    print(String(decoding: data, as: UTF8.self))
}
