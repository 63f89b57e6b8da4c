/// The CLI family a lab device emulates.
public enum LabPlatform: String, Sendable, CaseIterable {
    /// Cisco-IOS-like: `name>`, `enable` with a secret → `name#`, `terminal length 0`,
    /// `show running-config` (privileged only) paged with ` --More-- `.
    case ciscoIOS = "ios"
    /// JunOS-like: `user@name> `, `set cli screen-length 0`, `show configuration` (curly) and
    /// `show configuration | display set`, paged with `---(more)---`.
    case junos
    /// Arista-EOS-like: like IOS, but `show running-config` also works unprivileged.
    case aristaEOS = "eos"
    /// A Linux host: commands run by `/bin/sh`, files readable over SFTP.
    case linux
}

/// A device to put in the lab.
public struct LabDeviceSpec: Sendable, Hashable {
    /// The device name: its hostname in prompts and the name of its folder in the lab.
    public var name: String
    /// What it emulates.
    public var platform: LabPlatform

    /// Makes a device spec. Names must be letters, digits, `-` and `_`.
    public init(_ name: String, platform: LabPlatform) {
        self.name = name
        self.platform = platform
    }
}

/// A running lab device: where to connect.
public struct LabDevice: Sendable, Hashable {
    /// The device name.
    public var name: String
    /// What it emulates.
    public var platform: LabPlatform
    /// `127.0.0.1`.
    public var host: String
    /// The sshd port that serves this device.
    public var port: Int
    /// Whether the device also listens on `::1` (same port).
    public var listensOnIPv6: Bool
}

/// How a device misbehaves, for failure tests. Changed at run time with ``DeviceLab/setBehaviour(device:_:)``.
public enum LabBehaviour: Sendable, Hashable {
    /// Answers normally.
    case normal
    /// Waits this long after each line of configuration output.
    case slow(perLine: Duration)
    /// Prints this many lines of configuration output, then never finishes.
    case hang(afterLines: Int)
    /// Prints endless output instead of the configuration.
    case flood
    /// Prints 4 KiB of random bytes instead of the configuration.
    case garbage
    /// Prints the enable secret back as it is typed (a device whose terminal echo stays on).
    case echoesSecrets
}

/// The client key pairs the lab creates and authorises.
public enum LabKeyType: String, Sendable, CaseIterable {
    /// An ed25519 key without passphrase.
    case ed25519
    /// An ECDSA P-256 key.
    case ecdsa
    /// An RSA 2048 key (works only on a lab started with ``DeviceLabOptions/allowSSHRSA``).
    case rsa
    /// An ed25519 key protected by ``DeviceLab/clientKeyPassphrase``.
    case ed25519WithPassphrase = "ed25519-passphrase"
}

/// How to start a lab.
public struct DeviceLabOptions: Sendable {
    /// The devices, one sshd listen port each (16 per sshd process; more start more processes).
    public var devices: [LabDeviceSpec]
    /// Adds `PubkeyAcceptedAlgorithms +ssh-rsa` and `HostKeyAlgorithms +ssh-rsa`, so libssh2
    /// 1.10's SHA-1 RSA signatures are accepted (like many network devices).
    public var allowSSHRSA: Bool
    /// Also listen on `::1` (halves the devices per sshd process to 8).
    public var ipv6: Bool
    /// Lines per page before the pager prompt (0: no pager).
    public var pagerLines: Int
    /// Whether sshd gets an ECDSA host key besides ed25519 and RSA (libssh2 prefers ECDSA on its own).
    public var ecdsaHostKey: Bool
    /// sshd's `LogLevel`: `INFO` by default; `DEBUG1` also logs global requests such as keepalives.
    public var logLevel: String
    /// The folder the lab's own folder is created in (default: the temporary directory). The
    /// demo keeps every file it makes inside its `--dir` with it. The lab user must be able to
    /// traverse every folder above (mode 0755 or 0711).
    public var parentDirectory: String?

    /// Makes options.
    public init(
        devices: [LabDeviceSpec], allowSSHRSA: Bool = false, ipv6: Bool = false, pagerLines: Int = 20, ecdsaHostKey: Bool = true,
        logLevel: String = "INFO", parentDirectory: String? = nil
    ) {
        self.logLevel = logLevel
        self.parentDirectory = parentDirectory
        self.devices = devices
        self.allowSSHRSA = allowSSHRSA
        self.ipv6 = ipv6
        self.pagerLines = pagerLines
        self.ecdsaHostKey = ecdsaHostKey
    }
}

/// Why the lab could not start or be changed.
public struct DeviceLabError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, and what to do.
    public var message: String
    /// Makes an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
