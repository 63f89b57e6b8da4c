import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("misbehaving devices", .tags(.integration))
struct FailureTests {
    static let devices = DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS), .init("host1", platform: .linux)])

    @Test("a slow device within the timeout still delivers the whole config")
    func slowDevice() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            try lab.setBehaviour(device: "r1", .slow(perLine: .milliseconds(5)))
            let result = try await LabSupport.withSession(lab, r1) { try await $0.exec("show running-config") }
            #expect(result.stdoutText == (try lab.config(device: "r1")))
        }
    }

    @Test("keepalives are sent while waiting for a slow device")
    func keepalive() async throws {
        var options = Self.devices
        options.logLevel = "DEBUG1"
        try await DeviceLab.withLab(options) { lab in
            let r1 = try lab.device("r1")
            try lab.setConfig(device: "r1", (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n")
            try lab.setBehaviour(device: "r1", .slow(perLine: .milliseconds(250)))
            var sshOptions = try LabSupport.options(LabSupport.knownHosts(lab, r1))
            sshOptions.keepaliveInterval = .seconds(1)
            let result = try await LabSupport.withSession(lab, r1, options: sshOptions) { try await $0.exec("show running-config") }
            #expect(result.stdoutText == (try lab.config(device: "r1")))
            #expect(await lab.waitForLog(containing: "keepalive@libssh2.org"), "sshd log: \(lab.sshdLog())")
        }
    }

    @Test("output over the cap is an error, not an unbounded buffer", arguments: ["r1", "host1"])
    func flood(_ device: String) async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let target = try lab.device(device)
            try lab.setBehaviour(device: device, .flood)
            let options = try LabSupport.options(LabSupport.knownHosts(lab, target), outputLimit: 1 << 20)
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, target, options: options) { try await $0.exec("show running-config") }
            }
            #expect(error?.code == .outputTooLarge)
            #expect(error?.message.contains("\(1 << 20) bytes") == true)
        }
    }

    @Test("output over the cap in a shell is an error too")
    func floodShell() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), outputLimit: 1 << 20)
            let error = await LabSupport.transportError {
                try await LabSupport.withSession(lab, r1, options: options) { session in
                    try await session.withShell(ShellOptions(setupCommands: ["terminal length 0"])) { shell in
                        try await shell.enable(secret: lab.enableSecret)
                        try lab.setBehaviour(device: "r1", .flood)
                        _ = try await shell.run("show running-config")
                    }
                }
            }
            #expect(error?.code == .outputTooLarge)
        }
    }

    @Test("garbage bytes do not break exec: they arrive as bytes")
    func garbage() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            try lab.setBehaviour(device: "r1", .garbage)
            let result = try await LabSupport.withSession(lab, r1) { try await $0.exec("show running-config") }
            #expect(result.stdout.count == 4097)
        }
    }

    @Test("a closed port is a connection error naming host:port")
    func refused() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            await lab.stop()
            let error = await LabSupport.transportError {
                _ = try await LabSupport.client.withSession(
                    to: LabSupport.endpoint(r1), credentials: .password(username: "x", "y"),
                    options: SSHOptions(knownHosts: KnownHosts(path: "/nonexistent"))) { try await $0.exec("x") }
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
        }
    }
}
