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
