import ConfigDiff
import Logging
import SSHTransport

/// The real ``DeviceTransport``: one SSH session per capture, driven by the profile's
/// `collect` hints.
///
/// - `shell`: a PTY shell with the profile's prompt and pager patterns and setup commands,
///   `enable` with the device's enable secret when the profile asks for it, then each command.
/// - `exec`: one exec channel per command; a non-zero exit status fails the capture.
/// - `files`: each file read over SFTP (or `cat` when SFTP cannot) and each command run over
///   exec, each a named section; what the host cannot give is a `# driftwatch: not collected`
///   comment instead of a failure (see ``files(_:target:hints:)``).
///
/// No operation starts after the target's deadline, and every timeout is cut to the time left.
public struct SSHDeviceTransport: DeviceTransport {
    /// The SSH client whose thread pool runs libssh2.
    public let client: SSHClient

    /// A transport on `client` (the process-wide one by default).
    public init(client: SSHClient = .shared) {
        self.client = client
    }

    /// Captures the configuration over SSH (see the type's documentation).
    public func capture(_ target: CaptureTarget, hints: CollectionHints, logger: Logger) async throws -> RawCapture {
        let budget = min(target.timeout, target.remaining)
        guard budget > .zero else { throw Self.timeLimit(target) }
        let options = SSHOptions(
            knownHosts: KnownHosts(path: target.knownHostsPath),
            hostKeyPolicy: target.strictHostKeys ? .strict : .acceptNew,
            connectTimeout: budget, operationTimeout: budget, outputLimit: target.outputLimit)
        let credentials: SSHCredentials
        switch target.credentials.method {
        case .password(let password): credentials = .password(username: target.credentials.username, password)
        case .keyFile(let path): credentials = .privateKey(username: target.credentials.username, path: path)
        }
        let endpoint = SSHEndpoint(host: target.host, port: target.port)
        logger.debug("connecting")
        return try await client.withSession(to: endpoint, credentials: credentials, options: options) { session in
            switch hints.mode {
            case .shell: return try await Self.shell(session, target: target, hints: hints)
            case .exec:
                return try await Self.exec(session, target: target, hints: hints, sectioned: hints.commands.count > 1)
            case .files: return try await Self.files(session, target: target, hints: hints)
            }
        }
    }

    /// Linux hosts: files over SFTP (falling back to `cat` over exec), then commands. A file or
    /// command the host cannot give (absent, not permitted) becomes a section holding one
    /// `# driftwatch: not collected` comment, so one missing file does not fail the host: its
    /// lines show as removed against the baseline, and the comment is ignored by the diff.
    static func files(_ session: SSHSession, target: CaptureTarget, hints: CollectionHints) async throws -> RawCapture {
        var sections: [RawCapture.Section] = []
        for file in hints.files {
            try checkDeadline(target)
            let text: String
            do {
                text = String(decoding: try await session.sftpRead(file.source), as: UTF8.self)
            } catch let error as SSHTransportError where error.code == .sftpFailed {
                try checkDeadline(target)
                let result = try await session.exec("cat -- \(shellQuoted(file.source))")
                text =
                    result.exitStatus == 0
                    ? result.stdoutText : "\(notCollected) (no such file, or not readable by this user)\n"
            }
            sections.append(RawCapture.Section(name: file.name, text: text))
        }
        for command in hints.commands {
            try checkDeadline(target)
            let result = try await session.exec(command.source)
            let text =
                result.exitStatus == 0 ? result.stdoutText : "\(notCollected) (exit status \(result.exitStatus))\n"
            sections.append(RawCapture.Section(name: command.name, text: text))
        }
        return RawCapture(sections: sections, sectioned: true)
    }

    /// The comment that stands for a file or command a Linux host could not give.
    public static let notCollected = "# driftwatch: not collected"

    /// `text` in single quotes for `/bin/sh`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func shell(_ session: SSHSession, target: CaptureTarget, hints: CollectionHints) async throws -> RawCapture {
        var options = ShellOptions(setupCommands: hints.setup)
        if let prompt = hints.prompt { options.promptPattern = Self.unanchored(prompt) }
        if let pager = hints.pager { options.pagerPattern = Self.unanchored(pager) }
        return try await session.withShell(options) { shell in
            if hints.enable {
                try checkDeadline(target)
                try await shell.enable(secret: target.credentials.enableSecret)
            }
            var sections: [RawCapture.Section] = []
            for command in hints.commands {
                try checkDeadline(target)
                sections.append(RawCapture.Section(name: command.name, text: try await shell.run(command.source)))
            }
            return RawCapture(sections: sections, sectioned: hints.commands.count > 1)
        }
    }

    static func exec(_ session: SSHSession, target: CaptureTarget, hints: CollectionHints, sectioned: Bool) async throws
        -> RawCapture
    {
        var sections: [RawCapture.Section] = []
        for command in hints.commands {
            try checkDeadline(target)
            let result = try await session.exec(command.source)
            guard result.exitStatus == 0 else {
                throw CollectionError(
                    .commandFailed, device: target.device,
                    "'\(command.source)' exited with status \(result.exitStatus). Check that the account may run it, or remove it from the platform profile's collect.commands."
                )
            }
            sections.append(RawCapture.Section(name: command.name, text: result.stdoutText))
        }
        return RawCapture(sections: sections, sectioned: sectioned)
    }

    /// Profile patterns are written with `^…$`; the shell matches the whole last line already.
    static func unanchored(_ pattern: String) -> String {
        var text = Substring(pattern)
        if text.hasPrefix("^") { text = text.dropFirst() }
        if text.hasSuffix("$"), !text.hasSuffix("\\$") { text = text.dropLast() }
        return String(text)
    }

    static func checkDeadline(_ target: CaptureTarget) throws {
        if target.remaining <= .zero { throw timeLimit(target) }
    }

    static func timeLimit(_ target: CaptureTarget) -> CollectionError {
        CollectionError(
            .timeLimit, device: target.device,
            "the device's time limit ran out before the capture finished (the device may hang or be very slow); check the device, or raise defaults.time_limit."
        )
    }
}
