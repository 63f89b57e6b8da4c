import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("host-key verification against the lab", .tags(.integration))
struct HostKeyTests {
    static let ios = DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])

    @Test("strict policy refuses an unknown host key and writes nothing")
    func unknownStrict() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = LabSupport.emptyKnownHosts(lab)
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts)) { try await $0.exec("show version") }
            }
            #expect(error?.code == .hostKeyUnknown)
            #expect(error?.presentedFingerprint == lab.hostKeyFingerprints["ssh-ed25519"])
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
            #expect(!FileManager.default.fileExists(atPath: knownHosts.path))
            #expect(await lab.waitForLog(containing: "Disconnected from"), "sshd log: \(lab.sshdLog())")
            #expect(!lab.sshdLog().contains("Accepted"))
        }
    }

    @Test("accept-new writes the entry, and a second strict connect succeeds with it")
    func acceptNew() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = LabSupport.emptyKnownHosts(lab)
            let first = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts, policy: .acceptNew)) {
                try await $0.exec("show version")
            }
            #expect(first.exitStatus == 0)
            let written = try String(contentsOfFile: knownHosts.path, encoding: .utf8)
            let expectedLine = lab.knownHostsLines(for: r1, types: ["ssh-ed25519"])
            #expect(written == expectedLine)
            let entries = try knownHosts.entries(host: r1.host, port: r1.port)
            #expect(entries.count == 1)
            #expect(entries.first?.fingerprint == lab.hostKeyFingerprints["ssh-ed25519"])
            let second = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts, policy: .strict)) {
                try await $0.exec("show version")
            }
            #expect(second.exitStatus == 0)
            #expect(try String(contentsOfFile: knownHosts.path, encoding: .utf8) == expectedLine)
        }
    }

    @Test("a changed host key is refused under both policies, with both fingerprints", arguments: [HostKeyPolicy.strict, .acceptNew])
    func changedKey(_ policy: HostKeyPolicy) async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            // Pin a different ed25519 key (the lab's client key) for the device.
            let otherKey = try String(contentsOfFile: lab.clientKeyPath(.ed25519) + ".pub", encoding: .utf8).split(separator: " ")
            let path = "\(lab.directory)/known_hosts-changed"
            try "[127.0.0.1]:\(r1.port) \(otherKey[0]) \(otherKey[1])\n".write(toFile: path, atomically: true, encoding: .utf8)
            let knownHosts = KnownHosts(path: path)
            let expected = try #require(try knownHosts.entries().first?.fingerprint)
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts, policy: policy)) { try await $0.exec("show version") }
            }
            #expect(error?.code == .hostKeyChanged)
            #expect(error?.expectedFingerprint == expected)
            #expect(error?.presentedFingerprint == lab.hostKeyFingerprints["ssh-ed25519"])
            #expect(error?.message.contains(expected) == true)
            #expect(error?.message.contains(lab.hostKeyFingerprints["ssh-ed25519"] ?? "?") == true)
            #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 1)
            #expect(await lab.waitForLog(containing: "Disconnected from"), "sshd log: \(lab.sshdLog())")
            #expect(!lab.sshdLog().contains("Accepted"))
        }
    }

    @Test("the host-key algorithm follows known_hosts: a pinned ECDSA, ed25519 or RSA key is what the server is asked for",
          arguments: ["ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa"])
    func preferenceFollowsKnownHosts(_ type: String) async throws {
        var options = Self.ios
        options.allowSSHRSA = type == "ssh-rsa"
        try await DeviceLab.withLab(options) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = try LabSupport.knownHosts(lab, r1, types: [type])
            let result = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts)) { try await $0.exec("show version") }
            #expect(result.exitStatus == 0)
        }
    }

    @Test("a pinned key type the server no longer offers (RSA without ssh-rsa) is refused as changed, naming both types")
    func pinnedTypeNotOffered() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = try LabSupport.knownHosts(lab, r1, types: ["ssh-rsa"])
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts)) { try await $0.exec("show version") }
            }
            #expect(error?.code == .hostKeyChanged)
            #expect(error?.expectedFingerprint == lab.hostKeyFingerprints["ssh-rsa"])
            #expect(error?.presentedFingerprint == lab.hostKeyFingerprints["ssh-ed25519"])
            #expect(error?.message.contains("known_hosts holds a ssh-rsa key for this host, the server presented ssh-ed25519") == true)
        }
    }

    @Test("no common key exchange (an old-device setting against a modern server) is a handshake error that explains libssh2's limits")
    func noCommonKex() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            var options = try LabSupport.options(LabSupport.knownHosts(lab, r1))
            options.kexAlgorithms = ["diffie-hellman-group1-sha1"]
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, options: options) { try await $0.exec("show version") }
            }
            #expect(error?.code == .handshakeFailed)
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
            #expect(error?.message.contains("docs/ssh-compatibility.md") == true)
        }
    }

    @Test("a hashed known_hosts entry written by ssh-keygen -H is honoured")
    func hashedEntry() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = try LabSupport.knownHosts(lab, r1, types: ["ssh-ed25519"])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            process.arguments = ["-H", "-f", knownHosts.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let text = try String(contentsOfFile: knownHosts.path, encoding: .utf8)
            #expect(text.hasPrefix("|1|"))
            let result = try await LabSupport.withSession(lab, r1, options: LabSupport.options(knownHosts)) { try await $0.exec("show version") }
            #expect(result.exitStatus == 0)
        }
    }
}

@Suite("trusting and forgetting host keys", .tags(.integration))
struct TrustTests {
    @Test("scanHostKey shows the key without logging in; trusting it lets strict connect; forgetting it refuses again")
    func scanTrustForget() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
            let r1 = try lab.device("r1")
            let knownHosts = LabSupport.emptyKnownHosts(lab)
            let options = LabSupport.options(knownHosts)
            let key = try await LabSupport.client.scanHostKey(of: LabSupport.endpoint(r1), options: options)
            #expect(key.keyType == "ssh-ed25519")
            #expect(key.fingerprint == lab.hostKeyFingerprints["ssh-ed25519"])
            try knownHosts.append(host: r1.host, port: r1.port, keyType: key.keyType, keyBlob: key.keyBlob, hashed: true)
            let result = try await LabSupport.withSession(lab, r1, options: options) { try await $0.exec("show version") }
            #expect(result.exitStatus == 0)
            #expect(try knownHosts.remove(host: r1.host, port: r1.port) == 1)
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, options: options) { try await $0.exec("show version") }
            }
            #expect(error?.code == .hostKeyUnknown)
        }
    }
}
