import Foundation
import Synchronization

/// A private OpenSSH sshd on loopback that serves emulated network devices and Linux hosts, for
/// the tests and for `driftwatch demo`.
///
/// How it runs (see docs/ssh-compatibility.md and shared/LAB-NOTES.md): as root, each sshd runs
/// in its own mount and PID namespace (`unshare --mount --pid --fork --kill-child`) with a private
/// `/run/sshd` and bind-mounted copies of `/etc/passwd`, `/etc/shadow`, `/etc/group` and
/// `/etc/pam.d` that add the lab user (shell `/bin/sh`, a random password) and a minimal PAM
/// stack, so the host is never modified. Killing the namespace kills every session process with
/// it. Each device is one listen port (`Match LocalPort N` → `ForceCommand device.sh NAME`), 16
/// ports per sshd. Configuration, behaviour and banner of a device are files in the lab folder
/// that tests change at run time.
///
/// ```swift
/// try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)])) { lab in
///     let r1 = try lab.device("r1")   // r1.host, r1.port
/// }
/// ```
public final class DeviceLab: Sendable {
    /// The lab's temporary folder (removed by ``stop()``).
    public let directory: String
    /// The login name every device accepts.
    public let username = "driftlab"
    /// The lab user's password (password and keyboard-interactive authentication).
    public let password: String
    /// The secret IOS/EOS devices ask for on `enable`.
    public let enableSecret: String
    /// The passphrase of the ``LabKeyType/ed25519WithPassphrase`` client key.
    public let clientKeyPassphrase: String
    /// The running devices.
    public let devices: [LabDevice]
    /// The options the lab was started with.
    public let options: DeviceLabOptions
    /// The host keys' fingerprints as `ssh-keygen -l` prints them, by key type (`ssh-ed25519`,
    /// `ecdsa-sha2-nistp256`, `ssh-rsa`).
    public let hostKeyFingerprints: [String: String]
    /// The host public keys as `type base64`, by key type.
    public let hostPublicKeys: [String: String]

    private let processes: [LabProcess]
    private let stopped = Mutex(false)

    init(
        directory: String, password: String, enableSecret: String, passphrase: String, devices: [LabDevice],
        options: DeviceLabOptions, fingerprints: [String: String], publicKeys: [String: String], processes: [LabProcess]
    ) {
        self.directory = directory
        self.password = password
        self.enableSecret = enableSecret
        self.clientKeyPassphrase = passphrase
        self.devices = devices
        self.options = options
        self.hostKeyFingerprints = fingerprints
        self.hostPublicKeys = publicKeys
        self.processes = processes
    }

    deinit {
        // Last resort when stop() was not awaited: leave no process and no folder behind.
        if !stopped.withLock({ $0 }) {
            for process in processes { process.signal(SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Starts a lab, runs `body`, and stops the lab whether `body` returns or throws.
    public static func withLab<Result>(
        _ options: DeviceLabOptions, isolation: isolated (any Actor)? = #isolation,
        _ body: (DeviceLab) async throws -> Result
    ) async throws -> Result {
        let lab = try await start(options)
        do {
            let result = try await body(lab)
            await lab.stop()
            return result
        } catch {
            await lab.stop()
            throw error
        }
    }

    /// Stops every sshd (and with it every session process) and removes the lab folder.
    /// Idempotent.
    public func stop() async {
        let already = stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        if already { return }
        // unshare ignores SIGTERM while it waits for its child; SIGKILL on it makes the kernel
        // kill sshd (--kill-child) and with it every process of the PID namespace.
        for process in processes { process.signal(SIGKILL) }
        for process in processes { _ = await process.waitForExit() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Devices

    /// The running device named `name`.
    public func device(_ name: String) throws -> LabDevice {
        guard let device = devices.first(where: { $0.name == name }) else {
            throw DeviceLabError("the lab has no device named '\(name)' (it has: \(devices.map(\.name).joined(separator: ", "))).")
        }
        return device
    }

    private func deviceDirectory(_ name: String) throws -> String {
        _ = try device(name)
        return "\(directory)/devices/\(name)"
    }

    /// Replaces the configuration the device serves (a "change on the device").
    public func setConfig(device name: String, _ text: String) throws {
        try Self.writeFile("\(try deviceDirectory(name))/config", text)
    }

    /// Replaces what a JunOS device prints for `show configuration | display set`.
    public func setDisplaySetConfig(device name: String, _ text: String) throws {
        try Self.writeFile("\(try deviceDirectory(name))/config.set", text)
    }

    /// The configuration text the device serves now.
    public func config(device name: String) throws -> String {
        try String(contentsOfFile: "\(try deviceDirectory(name))/config", encoding: .utf8)
    }

    /// What a JunOS device prints for `show configuration | display set`.
    public func displaySetConfig(device name: String) throws -> String {
        try String(contentsOfFile: "\(try deviceDirectory(name))/config.set", encoding: .utf8)
    }

    /// Makes the device misbehave (or behave again); takes effect on its next command.
    public func setBehaviour(device name: String, _ behaviour: LabBehaviour) throws {
        let text: String
        switch behaviour {
        case .normal: text = "normal"
        case .slow(let perLine):
            let seconds = Double(perLine.components.seconds) + Double(perLine.components.attoseconds) / 1e18
            text = "slow \(seconds)"
        case .hang(let lines): text = "hang \(max(0, lines))"
        case .flood: text = "flood"
        case .garbage: text = "garbage"
        case .echoesSecrets: text = "echo-secrets"
        }
        try Self.writeFile("\(try deviceDirectory(name))/behaviour", text + "\n")
    }

    /// Sets (or with `nil` removes) the banner/MOTD printed before the first prompt.
    public func setBanner(device name: String, _ banner: String?) throws {
        try Self.writeFile("\(try deviceDirectory(name))/banner", banner ?? "")
    }

    /// Sets the lines per page before the pager prompt (0: no pager) for new sessions.
    public func setPagerLines(device name: String, _ lines: Int) throws {
        try Self.writeFile("\(try deviceDirectory(name))/pager_lines", "\(lines)\n")
    }

    /// Writes a file on a Linux device (readable by exec and SFTP) and returns its absolute path.
    /// `path` is relative, e.g. `etc/ssh/sshd_config`.
    @discardableResult
    public func writeFile(device name: String, path: String, contents: String) throws -> String {
        let absolute = "\(try deviceDirectory(name))/files/\(path)"
        try FileManager.default.createDirectory(
            atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        try Self.writeFile(absolute, contents)
        return absolute
    }

    /// The absolute path of a file on a Linux device (see ``writeFile(device:path:contents:)``).
    public func filePath(device name: String, path: String) throws -> String {
        "\(try deviceDirectory(name))/files/\(path)"
    }

    // MARK: - Keys

    /// The private key file of a client key the lab authorises.
    public func clientKeyPath(_ type: LabKeyType) -> String {
        "\(directory)/keys/client_\(type.rawValue)"
    }

    /// `known_hosts` lines (`[host]:port type base64`) for the device's host keys, all types
    /// unless `types` names some; `host` overrides the address written (e.g. `::1`).
    public func knownHostsLines(for device: LabDevice, types: [String]? = nil, host: String? = nil) -> String {
        let name = host ?? device.host
        let token = device.port == 22 ? name : "[\(name)]:\(device.port)"
        return hostPublicKeys.keys.sorted()
            .filter { types?.contains($0) ?? true }
            .compactMap { hostPublicKeys[$0].map { "\(token) \($0)\n" } }
            .joined()
    }

    /// Everything the lab's sshd processes logged so far.
    public func sshdLog() -> String {
        (0..<processes.count).map { (try? String(contentsOfFile: "\(directory)/sshd-\($0).log", encoding: .utf8)) ?? "" }
            .joined()
    }

    /// Waits until sshd's log contains `text` (sshd writes it from several processes, so a line
    /// can appear a moment after the client saw the outcome). Returns whether it appeared
    /// within `timeout`.
    public func waitForLog(containing text: String, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if sshdLog().contains(text) { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: - Files

    static func writeFile(_ path: String, _ text: String, mode: Int = 0o644) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw DeviceLabError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
