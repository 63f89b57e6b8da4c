import ConfigDiff
import Foundation

/// `driftwatch-bench diff`: throughput of normalize + parse + hierarchical diff + remediation on
/// the largest corpus configurations and a generated 100,000-line IOS-like pair with 1% changes,
/// beside GNU `diff -u` (the process, timed) and hier_config (Python peer in a venv: parse both
/// files and compute the remediation) on the same files in the same run.
///
/// Options: `--quick` (fewer runs), `--runs N`, `--python PATH` (the venv's python; default
/// `$DRIFTWATCH_BENCH_PYTHON`; without one hier_config is skipped), `--fixtures DIR` (default
/// `Tests/Fixtures`), `--out FILE` (default `bench-results/diff.json`), `--only PREFIX` (inputs
/// whose name starts with PREFIX), `--no-peers` (DriftWatch only, e.g. under a profiler),
/// `--diff-only N` (normalize once, then time N hierarchical diffs + remediations: for profiling).
enum DiffBenchmark {
    struct Input {
        var name: String
        var platform: String
        var hierConfigPlatform: String?
        var running: String
        var intended: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func main(_ arguments: [String]) throws -> Int32 {
        var quick = false
        var runs: Int?
        var python = ProcessInfo.processInfo.environment["DRIFTWATCH_BENCH_PYTHON"]
        var fixtures = "Tests/Fixtures"
        var outPath = "bench-results/diff.json"
        var only: String?
        var peers = true
        var diffOnly = 0
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--quick": quick = true
            case "--runs": runs = iterator.next().flatMap(Int.init)
            case "--python": python = iterator.next()
            case "--fixtures": fixtures = iterator.next() ?? fixtures
            case "--out": outPath = iterator.next() ?? outPath
            case "--only": only = iterator.next()
            case "--no-peers": peers = false
            case "--diff-only": diffOnly = iterator.next().flatMap(Int.init) ?? 10
            default: throw Failure(description: "unknown option \(argument)")
            }
        }
        let swiftRuns = runs ?? (quick ? 3 : 9)
        let peerRuns = quick ? 1 : 3

        var inputs: [Input] = []
        let generated = BenchInputs.generatedIOS(lines: 100_000)
        inputs.append(Input(name: "generated-ios-100k (1%)", platform: "cisco_ios", hierConfigPlatform: "cisco_ios",
                            running: generated, intended: BenchInputs.mutated(generated)))
        for (file, platform, peer) in [
            ("ios/ciscoconfparse__sample_06-synthetic-4094vlans.cfg", "cisco_ios", "cisco_ios"),
            ("ios/ciscoconfparse__sample_05-synthetic-acls.cfg", "cisco_ios", "cisco_ios"),
            ("iosxr/netutils__iosxr_full-18k-lines.cfg", "cisco_iosxr", "cisco_iosxr"),
            ("nxos/ciscoconfparse__sample_01.cfg", "cisco_nxos", "cisco_nxos"),
        ] {
            let path = (fixtures as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(description: "\(path): cannot read the corpus file; run from the package root or pass --fixtures")
            }
            inputs.append(Input(name: (file as NSString).lastPathComponent.replacingOccurrences(of: ".cfg", with: "") + " (1%)",
                                platform: platform, hierConfigPlatform: peer, running: text, intended: BenchInputs.mutated(text)))
        }

        if let only { inputs = inputs.filter { $0.name.hasPrefix(only) } }
        if !peers { python = nil }
        let workDirectory = ".build/bench-inputs"
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let catalog = try ProfileCatalog()
        let masker = SecretMasker(key: Array(repeating: UInt8(0x5A), count: 32))
        var rows: [[String: Any]] = []
        print("driftwatch-bench diff: \(swiftRuns) runs of DriftWatch and GNU diff, \(python == nil ? "no hier_config (no --python)" : "\(peerRuns) of hier_config") per input; medians")
        for (index, input) in inputs.enumerated() {
            let runningPath = "\(workDirectory)/\(index).running.cfg"
            let intendedPath = "\(workDirectory)/\(index).intended.cfg"
            try input.running.write(toFile: runningPath, atomically: true, encoding: .utf8)
            try input.intended.write(toFile: intendedPath, atomically: true, encoding: .utf8)
            let profile = try catalog.profile(PlatformID(input.platform))
            let normalizer = Normalizer(profile: profile, masker: masker)
            let options = profile.diffOptions

            if diffOnly > 0 {
                let running = try normalizer.normalize(input.running, checkCompleteness: false)
                let intended = try normalizer.normalize(input.intended, checkCompleteness: false)
                var times: [Double] = []
                for _ in 0..<diffOnly {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let delta = HierarchicalDiff.compare(from: running.tree, to: intended.tree, options: options)
                    let remediation = Remediation.lines(for: delta, style: profile.style, negation: options.negation)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    if remediation.isEmpty && !delta.isEmpty { print("no remediation?") }
                }
                print("\(input.name): diff + remediation median \(String(format: "%.2f", median(times) * 1000)) ms over \(diffOnly)")
                continue
            }
            var totals: [Double] = []
            var cpuTotals: [Double] = []
            var normalizeTimes: [Double] = []
            var diffTimes: [Double] = []
            var changes = 0
            var remediationCount = 0
            for _ in 0..<swiftRuns {
                let cpuStart = threadCPUTime()
                let start = DispatchTime.now().uptimeNanoseconds
                let running = try normalizer.normalize(input.running, checkCompleteness: false)
                let intended = try normalizer.normalize(input.intended, checkCompleteness: false)
                let middle = DispatchTime.now().uptimeNanoseconds
                let delta = HierarchicalDiff.compare(from: running.tree, to: intended.tree, options: options)
                let remediation = Remediation.lines(for: delta, style: profile.style, negation: options.negation)
                let end = DispatchTime.now().uptimeNanoseconds
                cpuTotals.append(threadCPUTime() - cpuStart)
                totals.append(Double(end - start) / 1e9)
                normalizeTimes.append(Double(middle - start) / 1e9)
                diffTimes.append(Double(end - middle) / 1e9)
                changes = delta.changes.count
                remediationCount = remediation.count
            }
            // The line diff alone, in process: `UnifiedDiff` on the raw texts, like `diff -u`.
            var unifiedTimes: [Double] = []
            var unifiedBytes = 0
            for _ in 0..<swiftRuns {
                let start = DispatchTime.now().uptimeNanoseconds
                let text = UnifiedDiff.render(from: input.running, to: input.intended, style: profile.style)
                unifiedTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                unifiedBytes = text.utf8.count
            }
            var gnuTimes: [Double] = []
            var gnuCPU: [Double] = []
            for _ in 0..<(peers ? swiftRuns : 0) {
                let (wall, cpu) = try timeProcess("/usr/bin/diff", ["-u", runningPath, intendedPath])
                gnuTimes.append(wall)
                gnuCPU.append(cpu)
            }
            var peer: [String: Any]?
            if let python, let peerPlatform = input.hierConfigPlatform {
                peer = try runPeer(python: python, platform: peerPlatform, runs: peerRuns, runningPath, intendedPath)
            }
            let bytes = input.running.utf8.count + input.intended.utf8.count
            let swiftMedian = median(totals)
            let gnuMedian = median(gnuTimes)
            let swiftCPU = median(cpuTotals)
            let gnuCPUMedian = median(gnuCPU)
            var row: [String: Any] = [
                "name": input.name,
                "platform": input.platform,
                "lines": ["running": lineCount(input.running), "intended": lineCount(input.intended)],
                "bytes": bytes,
                "driftwatch": [
                    "runs_s": totals, "median_s": swiftMedian, "mb_per_s": Double(bytes) / 1e6 / swiftMedian,
                    "cpu_runs_s": cpuTotals, "cpu_median_s": swiftCPU,
                    "normalize_parse_median_s": median(normalizeTimes), "diff_remediation_median_s": median(diffTimes),
                    "changes": changes, "remediation_lines": remediationCount,
                ] as [String: Any],
                "gnu_diff": ["runs_s": gnuTimes, "median_s": gnuMedian, "cpu_runs_s": gnuCPU, "cpu_median_s": gnuCPUMedian] as [String: Any],
                "driftwatch_unified": ["runs_s": unifiedTimes, "median_s": median(unifiedTimes), "output_bytes": unifiedBytes] as [String: Any],
                "swift_over_gnu_diff": swiftMedian / gnuMedian,
                "swift_over_gnu_diff_cpu": swiftCPU / gnuCPUMedian,
            ]
            if let peer, let peerMedian = peer["median"] as? Double {
                row["hier_config"] = peer
                row["hier_config_over_swift"] = peerMedian / swiftMedian
                if let peerCPU = peer["cpu_median"] as? Double { row["hier_config_over_swift_cpu"] = peerCPU / swiftCPU }
            }
            rows.append(row)
        }
        printTable(rows)
        try writeJSON(rows, swiftRuns: swiftRuns, peerRuns: peerRuns, to: outPath)
        print("wrote \(outPath)")
        return 0
    }

    static func lineCount(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Wall time of one process run, from `posix_spawn` to `wait4`, and its CPU time (user +
    /// system, from `wait4`'s rusage); output to /dev/null (Foundation's `Process.waitUntilExit`
    /// polls and would add tens of milliseconds).
    static func timeProcess(_ executable: String, _ arguments: [String]) throws -> (wall: Double, cpu: Double) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (wall, cpu)
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func runPeer(python: String, platform: String, runs: Int, _ running: String, _ intended: String) throws -> [String: Any] {
        let script = "Benchmarks/peers/hier_config_peer.py"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--platform", platform, "--runs", String(runs), running, intended]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw Failure(description: "\(script) failed (exit \(process.terminationStatus)) on \(running)")
        }
        return object
    }

    static func printTable(_ rows: [[String: Any]]) {
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.1f", $0 * 1000) } ?? "-" }
        func ratio(_ value: Any?, _ format: String) -> String { (value as? Double).map { String(format: format, $0) } ?? "-" }
        print("wall-clock medians (ms):")
        print(pad("input", 40, left: true) + pad("lines", 7) + pad("MB", 6) + pad("DW", 8) + pad("norm", 8)
            + pad("diff", 7) + pad("MB/s", 6) + pad("DW -u", 7) + pad("diff -u", 8) + pad("hier_config", 12)
            + pad("hc/DW", 7) + pad("DW/diff", 8))
        for row in rows {
            let dw = row["driftwatch"] as? [String: Any] ?? [:]
            let gnu = row["gnu_diff"] as? [String: Any] ?? [:]
            let hc = row["hier_config"] as? [String: Any]
            let lines = (row["lines"] as? [String: Int])?["running"] ?? 0
            let bytes = row["bytes"] as? Int ?? 0
            print(pad(String((row["name"] as? String ?? "").prefix(39)), 40, left: true) + pad("\(lines)", 7)
                + pad(String(format: "%.2f", Double(bytes) / 1e6), 6) + pad(ms(dw["median_s"] as? Double), 8)
                + pad(ms(dw["normalize_parse_median_s"] as? Double), 8) + pad(ms(dw["diff_remediation_median_s"] as? Double), 7)
                + pad(String(format: "%.0f", dw["mb_per_s"] as? Double ?? 0), 6)
                + pad(ms((row["driftwatch_unified"] as? [String: Any])?["median_s"] as? Double), 7)
                + pad(ms(gnu["median_s"] as? Double), 8) + pad(ms(hc?["median"] as? Double), 12)
                + pad(ratio(row["hier_config_over_swift"], "%.0f×"), 7) + pad(ratio(row["swift_over_gnu_diff"], "%.2f×"), 8))
        }
        print("CPU-time medians (ms; user+sys, less sensitive to other load on the machine):")
        print(pad("input", 40, left: true) + pad("DW", 8) + pad("diff -u", 8) + pad("hier_config", 12)
            + pad("hc/DW", 7) + pad("DW/diff", 8))
        for row in rows {
            let dw = row["driftwatch"] as? [String: Any] ?? [:]
            let gnu = row["gnu_diff"] as? [String: Any] ?? [:]
            let hc = row["hier_config"] as? [String: Any]
            print(pad(String((row["name"] as? String ?? "").prefix(39)), 40, left: true) + pad(ms(dw["cpu_median_s"] as? Double), 8)
                + pad(ms(gnu["cpu_median_s"] as? Double), 8) + pad(ms(hc?["cpu_median"] as? Double), 12)
                + pad(ratio(row["hier_config_over_swift_cpu"], "%.0f×"), 7) + pad(ratio(row["swift_over_gnu_diff_cpu"], "%.2f×"), 8))
        }
        print("targets: hc/DW ≥ 50× (DriftWatch at least 50 times faster than hier_config); DW/diff ≤ 2.00× (at most twice GNU diff -u's time)")
        print("DW = DriftWatch normalize + parse (both files) + hierarchical diff + remediation (norm | diff split it);")
        print("DW -u = DriftWatch's line diff alone (UnifiedDiff on the raw texts, in process), the like-for-like peer of diff -u;")
        print("diff -u = GNU diff process (spawn to exit); hier_config = parse both + remediation, timed inside Python")
    }

    static func writeJSON(_ rows: [[String: Any]], swiftRuns: Int, peerRuns: Int, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let document: [String: Any] = [
            "benchmark": "diff",
            "date": ISO8601DateFormatter().string(from: Date()),
            "cores": ProcessInfo.processInfo.activeProcessorCount,
            "runs": ["driftwatch": swiftRuns, "gnu_diff": swiftRuns, "hier_config": peerRuns],
            "targets": ["hier_config_over_swift_min": 50, "swift_over_gnu_diff_max": 2],
            "inputs": rows,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
