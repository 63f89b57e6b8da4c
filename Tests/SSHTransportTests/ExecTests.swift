import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("exec against the lab", .tags(.integration))
struct ExecTests {
    @Test("exec returns the served config byte-identical, with exit status 0")
    func execConfig() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
            let r1 = try lab.device("r1")
            let result = try await LabSupport.withSession(lab, r1) { try await $0.exec("show running-config") }
            #expect(result.exitStatus == 0)
            #expect(result.stdout == Array(try lab.config(device: "r1").utf8))
            #expect(result.stderr.isEmpty)
            // The session ended with a clean SSH disconnect, not a dropped socket.
            #expect(await lab.waitForLog(containing: "Received disconnect from 127.0.0.1 port"), "sshd log: \(lab.sshdLog())")
            #expect(await lab.waitForLog(containing: "DriftWatch closing the session"))
        }
    }

    @Test("connect by host name: localhost with a [localhost]:port known_hosts entry")
    func connectByName() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
            let r1 = try lab.device("r1")
            let path = "\(lab.directory)/known_hosts-name"
            try lab.knownHostsLines(for: r1, host: "localhost").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await LabSupport.client.withSession(
                to: SSHEndpoint(host: "localhost", port: r1.port), credentials: LabSupport.key(lab),
                options: LabSupport.options(KnownHosts(path: path))
            ) { try await $0.exec("show version") }
            #expect(result.exitStatus == 0)
            #expect(result.stdoutText.contains("Cisco IOS Software"))
        }
    }

    @Test("several execs on one session, and a transcript of what was sent and received")
    func severalExecs() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
            let r1 = try lab.device("r1")
            let transcript = SSHTranscript()
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), transcript: transcript)
            let outputs = try await LabSupport.withSession(lab, r1, options: options) { session in
                var outputs: [String] = []
                for _ in 0..<5 { outputs.append(try await session.exec("show version").stdoutText) }
                return outputs
            }
            #expect(Set(outputs).count == 1)
            #expect(transcript.entries.filter { $0.direction == .sent }.map(\.text) == Array(repeating: "show version", count: 5))
            #expect(transcript.text.contains("Cisco IOS Software"))
        }
    }

    @Test("exec reports stdout, stderr and a non-zero exit status separately")
    func execStatusAndStderr() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("host1", platform: .linux)])) { lab in
            let host = try lab.device("host1")
            let result = try await LabSupport.withSession(lab, host) {
                try await $0.exec("echo out; echo err >&2; exit 3")
            }
            #expect(result.stdoutText == "out\n")
            #expect(result.stderrText == "err\n")
            #expect(result.exitStatus == 3)
        }
    }
}
