// ssh-soak: connect/exec/close cycles against a DeviceLab, for the leak check under valgrind
// (scripts/leak-check.sh) and as a quick manual probe.
//
//   ssh-soak [CYCLES]            start a lab, run CYCLES (default 100) cycles, stop the lab
//   ssh-soak serve DIR           start a lab, describe it in DIR/soak.env, run until DIR/stop exists
//   ssh-soak client DIR CYCLES   run CYCLES cycles against the lab described in DIR/soak.env
//
// valgrind 3.19 cannot run Foundation's Process nor an async main, so under valgrind the lab runs
// in a separate `serve` process and the `client` has a synchronous main that waits for its task.
import DeviceLab
import Foundation
import SSHTransport
import Synchronization

/// The exit status of the work, once it is done (-1 until then).
final class ExitBox: Sendable {
    let status = Atomic<Int32>(-1)
}

/// Runs `work` in a task and blocks the main thread until it finishes (entry point only).
func runToCompletion(_ work: @escaping @Sendable () async -> Int32) -> Int32 {
    let box = ExitBox()
    Task {
        box.status.store(await work(), ordering: .releasing)
    }
    while box.status.load(ordering: .acquiring) < 0 { usleep(2000) }
    return box.status.load(ordering: .acquiring)
}

struct Target: Sendable {
    var host: String
    var port: Int
    var username: String
    var keyPath: String
    var knownHostsPath: String
    var expected: [UInt8]
}

/// `cycles` connect/exec/close cycles; returns the number of wrong outputs.
func soak(_ target: Target, cycles: Int) async throws -> Int {
    let client = SSHClient(threads: 2)
    let options = SSHOptions(knownHosts: KnownHosts(path: target.knownHostsPath), connectTimeout: .seconds(120), operationTimeout: .seconds(120))
    let credentials = SSHCredentials.privateKey(username: target.username, path: target.keyPath)
    var failures = 0
    do {
        for _ in 0..<cycles {
            let result = try await client.withSession(to: SSHEndpoint(host: target.host, port: target.port), credentials: credentials, options: options) {
                try await $0.exec("show running-config")
            }
            if result.stdout != target.expected || result.exitStatus != 0 { failures += 1 }
        }
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return failures
}

func startLab() async throws -> (DeviceLab, Target) {
    let lab = try await DeviceLab.start(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)]))
    let device = try lab.device("r1")
    let knownHostsPath = "\(lab.directory)/known_hosts"
    try lab.knownHostsLines(for: device).write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
    let target = Target(
        host: device.host, port: device.port, username: lab.username, keyPath: lab.clientKeyPath(.ed25519),
        knownHostsPath: knownHostsPath, expected: Array(try lab.config(device: "r1").utf8))
    return (lab, target)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "serve":
    let directory = arguments.count > 1 ? arguments[1] : "."
    status = runToCompletion {
        do {
            let (lab, target) = try await startLab()
            let env = [
                "host=\(target.host)", "port=\(target.port)", "username=\(target.username)", "key=\(target.keyPath)",
                "known_hosts=\(target.knownHostsPath)", "expected=\(lab.directory)/devices/r1/config",
            ].joined(separator: "\n") + "\n"
            try env.write(toFile: "\(directory)/soak.env", atomically: true, encoding: .utf8)
            while !FileManager.default.fileExists(atPath: "\(directory)/stop") {
                try await Task.sleep(for: .milliseconds(100))
            }
            await lab.stop()
            return 0
        } catch {
            print("ssh-soak serve: \(error)")
            return 2
        }
    }
case "client":
    let directory = arguments.count > 1 ? arguments[1] : "."
    let cycles = arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100
    status = runToCompletion {
        do {
            let text = try String(contentsOfFile: "\(directory)/soak.env", encoding: .utf8)
            var values: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard let host = values["host"], let port = values["port"].flatMap({ Int($0) }), let username = values["username"],
                let key = values["key"], let knownHosts = values["known_hosts"], let expectedPath = values["expected"]
            else {
                print("ssh-soak client: incomplete \(directory)/soak.env")
                return 2
            }
            let expected = Array(try String(contentsOfFile: expectedPath, encoding: .utf8).utf8)
            let target = Target(host: host, port: port, username: username, keyPath: key, knownHostsPath: knownHosts, expected: expected)
            let started = ContinuousClock.now
            let failures = try await soak(target, cycles: cycles)
            print("ssh-soak: \(cycles) connect/exec/close cycles, \(failures) wrong outputs, \(ContinuousClock.now - started)")
            return failures == 0 ? 0 : 1
        } catch {
            print("ssh-soak client: \(error)")
            return 2
        }
    }
default:
    let cycles = arguments.first.flatMap { Int($0) } ?? 100
    status = runToCompletion {
        do {
            let (lab, target) = try await startLab()
            let started = ContinuousClock.now
            let failures: Int
            do {
                failures = try await soak(target, cycles: cycles)
            } catch {
                await lab.stop()
                throw error
            }
            await lab.stop()
            print("ssh-soak: \(cycles) connect/exec/close cycles, \(failures) wrong outputs, \(ContinuousClock.now - started)")
            return failures == 0 ? 0 : 1
        } catch {
            print("ssh-soak: \(error)")
            return 2
        }
    }
}
exit(status)
