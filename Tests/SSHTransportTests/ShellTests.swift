import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("interactive shell against the lab", .tags(.integration))
struct ShellTests {
    static let devices = DeviceLabOptions(devices: [
        .init("r1", platform: .ciscoIOS), .init("sw1", platform: .aristaEOS), .init("j1", platform: .junos),
    ])

    @Test("IOS: enable with the secret, then show running-config with the pager on and off is byte-identical to the served file")
    func iosPagerOnAndOff() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            let expected = try lab.config(device: "r1")
            #expect(expected.split(separator: "\n").count > 3 * lab.options.pagerLines)  // several pages
            let transcript = SSHTranscript()
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), transcript: transcript)
            let (paged, unpaged) = try await LabSupport.withSession(lab, r1, options: options) { session in
                try await session.withShell { shell in
                    try await shell.enable(secret: lab.enableSecret)
                    let paged = try await shell.run("show running-config")
                    _ = try await shell.run("terminal length 0")
                    let unpaged = try await shell.run("show running-config")
                    return (paged, unpaged)
                }
            }
            #expect(paged == expected)
            #expect(unpaged == expected)
            let text = transcript.text
            #expect(text.contains("--More--"))  // the pager really was answered
            #expect(text.contains("<redacted>"))
            #expect(!text.contains(lab.enableSecret))
        }
    }

    @Test("IOS: show running-config needs enable mode; a wrong enable secret is refused")
    func iosEnableRequired() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            try await LabSupport.withSession(lab, r1) { session in
                try await session.withShell(ShellOptions(setupCommands: ["terminal length 0"])) { shell in
                    let refused = try await shell.run("show running-config")
                    #expect(refused.contains("% Invalid input"))
                    let error = await LabSupport.transportError { try await shell.enable(secret: "wrong-secret") }
                    #expect(error?.code == .enableFailed)
                    #expect(error?.message.contains("wrong-secret") == false)
                    try await shell.enable(secret: lab.enableSecret)
                    #expect(try await shell.run("show running-config") == (try lab.config(device: "r1")))
                }
            }
        }
    }

    @Test("EOS and JunOS: pager on and off give the served text, curly and display-set forms")
    func eosAndJunos() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let sw1 = try lab.device("sw1")
            let eos = try await LabSupport.withSession(lab, sw1) { session in
                try await session.withShell { shell in
                    let paged = try await shell.run("show running-config")
                    _ = try await shell.run("terminal length 0")
                    return (paged, try await shell.run("show running-config"))
                }
            }
            #expect(eos.0 == (try lab.config(device: "sw1")))
            #expect(eos.1 == (try lab.config(device: "sw1")))

            let j1 = try lab.device("j1")
            let junos = try await LabSupport.withSession(lab, j1) { session in
                try await session.withShell { shell in
                    let curlyPaged = try await shell.run("show configuration")
                    let setPaged = try await shell.run("show configuration | display set")
                    _ = try await shell.run("set cli screen-length 0")
                    return (curlyPaged, setPaged, try await shell.run("show configuration"), try await shell.run("show configuration | display set"))
                }
            }
            #expect(junos.0 == (try lab.config(device: "j1")))
            #expect(junos.1 == (try lab.displaySetConfig(device: "j1")))
            #expect(junos.2 == (try lab.config(device: "j1")))
            #expect(junos.3 == (try lab.displaySetConfig(device: "j1")))
        }
    }

    @Test("a device that echoes the enable secret: the echo never reaches the transcript, the output or the error")
    func echoedSecretIsRedacted() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            try lab.setBehaviour(device: "r1", .echoesSecrets)
            let transcript = SSHTranscript()
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), transcript: transcript)
            let wrong = "wrong-\(lab.enableSecret)"
            let (config, refusal) = try await LabSupport.withSession(lab, r1, options: options) { session in
                try await session.withShell(ShellOptions(setupCommands: ["terminal length 0"])) { shell in
                    let refusal = await LabSupport.transportError { try await shell.enable(secret: wrong) }
                    try await shell.enable(secret: lab.enableSecret)
                    return (try await shell.run("show running-config"), refusal)
                }
            }
            #expect(config == (try lab.config(device: "r1")))
            #expect(refusal?.code == .enableFailed)
            #expect(refusal?.message.contains("Access denied") == true)
            #expect(refusal?.message.contains(wrong) == false)
            let text = transcript.text
            #expect(text.contains("<< <redacted>"))  // the device did echo, and the echo was replaced
            #expect(!text.contains(lab.enableSecret))
        }
    }

    @Test("a banner/MOTD before the first prompt is returned as the banner and does not disturb commands")
    func bannerBeforePrompt() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            let banner = "*****************************\nAuthorized access only! r1> is not a prompt here\nContact noc@example.net\n*****************************\n"
            try lab.setBanner(device: "r1", banner)
            let (shown, version) = try await LabSupport.withSession(lab, r1) { session in
                try await session.withShell(ShellOptions(setupCommands: ["terminal length 0"])) { shell in
                    (shell.banner, try await shell.run("show version"))
                }
            }
            #expect(shown == banner)
            #expect(version.hasPrefix("Cisco IOS Software"))
        }
    }

    @Test("a change on the device shows in the next collection")
    func changeOnDevice() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            let changed = try lab.config(device: "r1").replacingOccurrences(of: "ntp server 192.0.2.123", with: "ntp server 192.0.2.99")
            try lab.setConfig(device: "r1", changed)
            let text = try await LabSupport.withSession(lab, r1) { try await $0.exec("show running-config").stdoutText }
            #expect(text == changed)
            #expect(text.contains("ntp server 192.0.2.99"))
        }
    }
}
