import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("authentication against the lab", .tags(.integration))
struct AuthTests {
    static let ios = DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])

    @Test("key authentication works with ed25519, ECDSA and a passphrase-protected ed25519 key",
          arguments: [LabKeyType.ed25519, .ecdsa, .ed25519WithPassphrase])
    func keyAuth(_ type: LabKeyType) async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let result = try await LabSupport.withSession(lab, r1, credentials: LabSupport.key(lab, type)) {
                try await $0.exec("show version")
            }
            #expect(result.exitStatus == 0)
            #expect(result.stdoutText.contains("Cisco IOS Software"))
            #expect(await lab.waitForLog(containing: "Accepted publickey for \(lab.username)"))
        }
    }

    @Test("RSA key authentication works against a server that accepts ssh-rsa")
    func rsaKeyOnLegacyServer() async throws {
        var options = Self.ios
        options.allowSSHRSA = true
        try await DeviceLab.withLab(options) { lab in
            let r1 = try lab.device("r1")
            let result = try await LabSupport.withSession(lab, r1, credentials: LabSupport.key(lab, .rsa)) {
                try await $0.exec("show version")
            }
            #expect(result.exitStatus == 0)
            #expect(await lab.waitForLog(containing: "Accepted publickey for \(lab.username) from 127.0.0.1"))
            #expect(await lab.waitForLog(containing: ": RSA SHA256:"))
        }
    }

    @Test("an RSA key refused by a modern server explains ssh-rsa (SHA-1) and lists the offered methods")
    func rsaKeyOnModernServer() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, credentials: LabSupport.key(lab, .rsa)) { try await $0.exec("show version") }
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.offeredMethods.contains("publickey") == true)
            #expect(error?.message.contains("ssh-rsa (SHA-1)") == true)
            #expect(error?.message.contains("PubkeyAcceptedAlgorithms +ssh-rsa") == true)
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
        }
    }

    @Test("password authentication")
    func password() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let result = try await LabSupport.withSession(lab, r1, credentials: .password(username: lab.username, lab.password)) {
                try await $0.exec("show version")
            }
            #expect(result.exitStatus == 0)
            #expect(await lab.waitForLog(containing: "Accepted password for \(lab.username)"))
        }
    }

    @Test("keyboard-interactive authentication answers the password prompt")
    func keyboardInteractive() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let result = try await LabSupport.withSession(lab, r1, credentials: .keyboardInteractive(username: lab.username, lab.password)) {
                try await $0.exec("show version")
            }
            #expect(result.exitStatus == 0)
            #expect(await lab.waitForLog(containing: "Accepted keyboard-interactive/pam for \(lab.username)"))
        }
    }

    @Test("a wrong password fails once with a clear error: one attempt in sshd's log, no retry storm",
          arguments: ["password", "keyboard-interactive"])
    func wrongPassword(_ method: String) async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let credentials: SSHCredentials = method == "password"
                ? .password(username: lab.username, "not-the-password")
                : .keyboardInteractive(username: lab.username, "not-the-password")
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, credentials: credentials) { try await $0.exec("show version") }
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.offeredMethods.contains(method) == true)
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
            #expect(error?.message.contains("not-the-password") == false)
            // The session's last log line: everything about the attempt is logged by then.
            #expect(await lab.waitForLog(containing: "Disconnected from authenticating user \(lab.username)"), "sshd log: \(lab.sshdLog())")
            let log = lab.sshdLog()
            // sshd logs a password failure as "Failed password"; a keyboard-interactive one as PAM's
            // "Authentication failure". Either way: exactly one attempt, and nothing else was tried.
            let logged = method == "password" ? "Failed password for" : "PAM: Authentication failure for"
            #expect(log.components(separatedBy: logged).count - 1 == 1, "sshd log: \(log)")
            let attempts = log.components(separatedBy: "Failed ").count - 1 + log.components(separatedBy: "PAM: Authentication failure").count - 1
            #expect(attempts == 1, "sshd log: \(log)")
            #expect(!log.contains("Accepted"))
        }
    }

    @Test("a wrong key passphrase is reported as an unusable key, not an auth failure")
    func wrongPassphrase() async throws {
        try await DeviceLab.withLab(Self.ios) { lab in
            let r1 = try lab.device("r1")
            let credentials = SSHCredentials.privateKey(username: lab.username, path: lab.clientKeyPath(.ed25519WithPassphrase), passphrase: "wrong")
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, r1, credentials: credentials) { try await $0.exec("show version") }
            }
            #expect(error?.code == .privateKeyUnusable)
            #expect(error?.message.contains(lab.clientKeyPath(.ed25519WithPassphrase)) == true)
        }
    }
}
