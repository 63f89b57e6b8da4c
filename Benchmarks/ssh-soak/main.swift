// ssh-soak: connect/exec/close cycles against a DeviceLab, for leak checks under valgrind
// (scripts/leak-check.sh) and as a quick manual probe.
//
//   ssh-soak [CYCLES]        default 100
import DeviceLab
import Foundation
import SSHTransport

let cycles = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100
let started = ContinuousClock.now
do {
    try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
        let device = try lab.device("r1")
        let knownHostsPath = "\(lab.directory)/known_hosts"
        try lab.knownHostsLines(for: device).write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
        let expected = Array(try lab.config(device: "r1").utf8)
        let client = SSHClient(threads: 2)
        let options = SSHOptions(knownHosts: KnownHosts(path: knownHostsPath), connectTimeout: .seconds(60), operationTimeout: .seconds(60))
        let credentials = SSHCredentials.privateKey(username: lab.username, path: lab.clientKeyPath(.ed25519))
        var failures = 0
        for _ in 0..<cycles {
            let result = try await client.withSession(to: SSHEndpoint(host: device.host, port: device.port), credentials: credentials, options: options) {
                try await $0.exec("show running-config")
            }
            if result.stdout != expected || result.exitStatus != 0 { failures += 1 }
        }
        try await client.shutdown()
        let elapsed = ContinuousClock.now - started
        print("ssh-soak: \(cycles) connect/exec/close cycles, \(failures) wrong outputs, \(elapsed)")
        if failures > 0 { exit(1) }
    }
} catch {
    print("ssh-soak: \(error)")
    exit(2)
}
