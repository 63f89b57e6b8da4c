/// An interactive shell on a PTY, for network CLIs. Get one from ``SSHSession/withShell(_:isolation:_:)``.
public final class SSHShell: Sendable {
    /// What the device printed before its first prompt (banner, MOTD), as text.
    public let banner: String
    /// The options the shell was opened with.
    public let options: ShellOptions
    let session: SSHSession
    let id: Int

    init(session: SSHSession, id: Int, options: ShellOptions, banner: String) {
        self.session = session
        self.id = id
        self.options = options
        self.banner = banner
    }

    /// Sends `command`, answers pager prompts with a space, reads until the prompt returns and
    /// returns the output with the command echo, the prompt, pager prompts, backspaces and `\r`
    /// removed (LF line endings). Bounded by the operation timeout and the output limit.
    public func run(_ command: String) async throws -> String {
        let id = self.id
        let options = self.options
        let line = Array((command + options.lineEnding).utf8)
        return try await withConnection { connection throws(SSHTransportError) in
            let prompt = try connection.compile(options.promptPattern, "prompt")
            let pager = try connection.compile(options.pagerPattern, "pager")
            let deadline = ContinuousClock.now.advanced(by: connection.options.operationTimeout)
            let (raw, _) = try connection.exchange(
                id: id, send: line, redacted: false, until: [prompt], pager: pager, deadline: deadline,
                action: "running '\(command)'")
            // A device stops at each pager prompt until it is answered, so with none answered
            // there is none to remove (removing them matched the pager pattern on every line).
            return ShellText.commandOutput(raw, command: command, pager: connection.pagerAnswersInLastExchange > 0 ? pager : nil)
        }
    }

    /// Enters enable (privileged) mode: sends the enable command and, when the device asks,
    /// the secret (recorded in a transcript as `<redacted>`). Throws ``SSHTransportError/Code/enableFailed``
    /// if the prompt does not become the enabled prompt.
    public func enable(secret: String?) async throws {
        let id = self.id
        let options = self.options
        try await withConnection { connection throws(SSHTransportError) in
            let prompt = try connection.compile(options.promptPattern, "prompt")
            let asks = try connection.compile(options.enableSecretPromptPattern, "enable secret prompt")
            let enabled = try connection.compile(options.enabledPromptPattern, "enabled prompt")
            let deadline = ContinuousClock.now.advanced(by: connection.options.operationTimeout)
            var (raw, matched) = try connection.exchange(
                id: id, send: Array((options.enableCommand + options.lineEnding).utf8), redacted: false,
                until: [asks, prompt], pager: nil, deadline: deadline, action: "entering enable mode")
            if matched == 0 {
                guard let secret else {
                    throw SSHTransportError(
                        .enableFailed, endpoint: connection.endpoint,
                        message: "\(connection.endpoint): the device asks for an enable secret and none is configured. Set enable_password_env for the device.")
                }
                (raw, _) = try connection.exchange(
                    id: id, send: Array((secret + options.lineEnding).utf8), redacted: true, until: [prompt], pager: nil,
                    deadline: deadline, action: "sending the enable secret")
            }
            let last = ShellText.lastLine(raw)
            if (try? enabled.wholeMatch(in: last)) == nil {
                let said = ShellText.commandOutput(raw, command: nil, pager: nil).trimmingTrailingBlanks()
                throw SSHTransportError(
                    .enableFailed, endpoint: connection.endpoint,
                    message: "\(connection.endpoint): enable mode was refused (prompt is '\(last)'; device said: '\(said.replacingNewlines())'). Check the enable secret.")
            }
        }
    }

    /// Closes the shell's channel. ``SSHSession/withShell(_:isolation:_:)`` calls it for you.
    public func close() async {
        let id = self.id
        _ = try? await withConnection { connection throws(SSHTransportError) in connection.closeShell(id: id) }
    }

    private func withConnection<T: Sendable>(_ work: @escaping @Sendable (LibSSH2Connection) throws(SSHTransportError) -> T) async throws -> T {
        let handle = session.handle
        let endpoint = session.endpoint
        return try await session.client.run(endpoint) { try handle.with(endpoint) { (connection) throws(SSHTransportError) in try work(connection) } }
    }
}

extension String {
    func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " / ")
    }
}
