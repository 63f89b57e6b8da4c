internal import CLibSSH2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LibSSH2Connection {
    private static let readChunk = 32 * 1024

    private func checkLimit(_ total: Int, _ action: String) throws(SSHTransportError) {
        if total > options.outputLimit {
            markBroken("an output over the limit")
            throw SSHTransportError(
                .outputTooLarge, endpoint: endpoint,
                message: "\(endpoint): output of \(action) passed the limit of \(options.outputLimit) bytes; stopped reading. The device may be flooding output; raise the output limit if the output is really that large.")
        }
    }

    // MARK: - exec

    func exec(_ command: String) throws(SSHTransportError) -> ExecResult {
        try ensureUsable()
        let deadline = ContinuousClock.now.advanced(by: options.operationTimeout)
        let action = "running '\(command)'"
        let channel = try openChannel(deadline: deadline)
        var freed = false
        defer { if !freed, brokenReason == nil { freeChannel(channel, deadline: deadline) } }
        options.transcript?.record(.sent, Array(command.utf8))
        let started = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: action) {
            dw_channel_exec(channel, command, UInt32(command.utf8.count))
        }
        guard started == 0 else { throw failure(Int(started), .channelFailed, "starting '\(command)'") }
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var buffer = [CChar](repeating: 0, count: Self.readChunk)
        while true {
            var outRC = 0
            var errRC = 0
            var progressed = false
            repeat {
                outRC = dw_channel_read(channel, 0, &buffer, buffer.count)
                if outRC > 0 {
                    let bytes = buffer[0..<outRC].map { UInt8(bitPattern: $0) }
                    stdout += bytes
                    options.transcript?.record(.received, bytes)
                    progressed = true
                    try checkLimit(stdout.count + stderr.count, action)
                }
            } while outRC > 0
            repeat {
                errRC = dw_channel_read(channel, DW_STREAM_STDERR, &buffer, buffer.count)
                if errRC > 0 {
                    let bytes = buffer[0..<errRC].map { UInt8(bitPattern: $0) }
                    stderr += bytes
                    options.transcript?.record(.received, bytes)
                    progressed = true
                    try checkLimit(stdout.count + stderr.count, action)
                }
            } while errRC > 0
            if outRC < 0, outRC != Int(DW_ERROR_EAGAIN) { throw failure(outRC, .channelFailed, action) }
            if errRC < 0, errRC != Int(DW_ERROR_EAGAIN) { throw failure(errRC, .channelFailed, action) }
            if outRC == 0, errRC == 0, libssh2_channel_eof(channel) != 0 { break }
            if !progressed { try waitForSocket(deadline: deadline, limit: options.operationTimeout, while: action) }
        }
        _ = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: action) { libssh2_channel_close(channel) }
        _ = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: action) { libssh2_channel_wait_closed(channel) }
        let status = libssh2_channel_get_exit_status(channel)
        let rc = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: action) { libssh2_channel_free(channel) }
        freed = true
        if rc != 0 { markBroken("a channel that could not be freed") }
        return ExecResult(stdout: stdout, stderr: stderr, exitStatus: status)
    }

    // MARK: - SFTP

    func sftpRead(_ path: String) throws(SSHTransportError) -> [UInt8] {
        try ensureUsable()
        guard let session else { throw closedError() }
        let deadline = ContinuousClock.now.advanced(by: options.operationTimeout)
        let action = "reading \(path) over SFTP"
        guard let sftp = try retryPointer(deadline: deadline, timeoutLimit: options.operationTimeout, while: action, { libssh2_sftp_init(session) }) else {
            throw SSHTransportError(
                .sftpFailed, endpoint: endpoint,
                message: "\(endpoint): cannot start SFTP (\(lastErrorMessage())). The server may have no sftp subsystem; collect the file with exec ('cat \(path)') instead.")
        }
        defer {
            let bounded = min(deadline, ContinuousClock.now.advanced(by: .seconds(2)))
            if (try? retry(deadline: bounded, timeoutLimit: .seconds(2), while: "closing SFTP", { libssh2_sftp_shutdown(sftp) })) != 0 {
                markBroken("an SFTP session that could not be closed")
            }
        }
        guard let handle = try retryPointer(deadline: deadline, timeoutLimit: options.operationTimeout, while: action, { dw_sftp_open_read(sftp, path, UInt32(path.utf8.count)) }) else {
            let status = libssh2_sftp_last_error(sftp)
            let reason: String
            switch status {
            case 2: reason = "no such file"
            case 3: reason = "permission denied"
            default: reason = "SFTP status \(status): \(lastErrorMessage())"
            }
            throw SSHTransportError(.sftpFailed, endpoint: endpoint, message: "\(endpoint): cannot open \(path) over SFTP (\(reason)). Check the path in the platform profile and the user's permissions.")
        }
        defer {
            let bounded = min(deadline, ContinuousClock.now.advanced(by: .seconds(2)))
            if (try? retry(deadline: bounded, timeoutLimit: .seconds(2), while: "closing an SFTP file", { dw_sftp_close(handle) })) != 0 {
                markBroken("an SFTP file that could not be closed")
            }
        }
        var content: [UInt8] = []
        var buffer = [CChar](repeating: 0, count: Self.readChunk)
        while true {
            let rc = libssh2_sftp_read(handle, &buffer, buffer.count)
            if rc > 0 {
                content += buffer[0..<rc].map { UInt8(bitPattern: $0) }
                try checkLimit(content.count, action)
            } else if rc == 0 {
                break
            } else if rc == Int(DW_ERROR_EAGAIN) {
                try waitForSocket(deadline: deadline, limit: options.operationTimeout, while: action)
            } else {
                throw failure(rc, .sftpFailed, action)
            }
        }
        options.transcript?.record(.received, content)
        return content
    }

    // MARK: - Shell

    /// Opens a shell on a PTY and reads until the first prompt; returns its id and what came
    /// before the prompt (banner, MOTD).
    func openShell(_ shellOptions: ShellOptions) throws(SSHTransportError) -> (id: Int, banner: [UInt8]) {
        try ensureUsable()
        let deadline = ContinuousClock.now.advanced(by: options.operationTimeout)
        let channel = try openChannel(deadline: deadline)
        var keep = false
        defer { if !keep { freeChannel(channel, deadline: deadline) } }
        let pty = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: "requesting a PTY") {
            dw_channel_pty(channel, shellOptions.terminalType, Int32(shellOptions.columns), Int32(shellOptions.rows))
        }
        guard pty == 0 else { throw failure(Int(pty), .channelFailed, "requesting a PTY") }
        let shell = try retry(deadline: deadline, timeoutLimit: options.operationTimeout, while: "starting a shell") { dw_channel_shell(channel) }
        guard shell == 0 else { throw failure(Int(shell), .channelFailed, "starting a shell") }
        let id = newShellID()
        shells[id] = channel
        keep = true
        let prompt = try compile(shellOptions.promptPattern, "prompt")
        let (raw, _) = try exchange(id: id, send: nil, redacted: false, until: [prompt], pager: nil, deadline: deadline, action: "waiting for the first prompt")
        return (id, raw)
    }

    func closeShell(id: Int) {
        guard let channel = shells.removeValue(forKey: id) else { return }
        if brokenReason != nil { return }  // freed with the session
        freeChannel(channel, deadline: ContinuousClock.now.advanced(by: options.operationTimeout))
    }

    func compile(_ pattern: String, _ name: String) throws(SSHTransportError) -> Regex<AnyRegexOutput> {
        if let cached = compiledPatterns[pattern] { return cached }
        do {
            let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
            compiledPatterns[pattern] = regex
            return regex
        } catch {
            throw SSHTransportError(.invalidPattern, endpoint: endpoint, message: "\(endpoint): the \(name) pattern '\(pattern)' is not a valid regular expression: \(error).")
        }
    }

    /// Sends `send` (if any), then reads until the last line matches one of `until`, answering
    /// pager prompts with a space. Returns everything read and the index of the pattern matched.
    ///
    /// When `redacted`, `send` is a secret: it is recorded as `<redacted>`, and a device that
    /// echoes it back (a terminal whose echo stayed on) has the echo replaced by `<redacted>` in
    /// what is returned, recorded and put in errors. The received bytes of such an exchange are
    /// recorded once, at its end, so a secret split across two reads is still caught.
    func exchange(
        id: Int, send: [UInt8]?, redacted: Bool, until patterns: [Regex<AnyRegexOutput>], pager: Regex<AnyRegexOutput>?,
        deadline: ContinuousClock.Instant, action: String
    ) throws(SSHTransportError) -> (raw: [UInt8], matched: Int) {
        try ensureUsable()
        guard let channel = shells[id] else { throw closedError() }
        if let send {
            try write(channel, send, deadline: deadline, action: action)
            if redacted { options.transcript?.recordRedacted() } else { options.transcript?.record(.sent, send) }
        }
        let secret = redacted ? ShellText.withoutLineEnding(send ?? []) : []
        var raw: [UInt8] = []
        defer {
            if !secret.isEmpty, !raw.isEmpty { options.transcript?.record(.received, ShellText.redacting(secret, in: raw)) }
        }
        var buffer = [CChar](repeating: 0, count: Self.readChunk)
        var checkedCount = -1
        pagerAnswersInLastExchange = 0
        while true {
            let rc = dw_channel_read(channel, 0, &buffer, buffer.count)
            if rc > 0 {
                let bytes = buffer[0..<rc].map { UInt8(bitPattern: $0) }
                raw += bytes
                if secret.isEmpty { options.transcript?.record(.received, bytes) }
                try checkLimit(raw.count, action)
                continue
            }
            if rc == 0 || libssh2_channel_eof(channel) != 0 {
                markBroken("the device closed the shell")
                throw SSHTransportError(
                    .connectionLost, endpoint: endpoint,
                    message: "\(endpoint): the device closed the shell while \(action). Last output: \(ShellText.tail(ShellText.redacting(secret, in: raw)))")
            }
            if rc != Int(DW_ERROR_EAGAIN) { throw failure(rc, .channelFailed, action) }
            if raw.count != checkedCount {
                checkedCount = raw.count
                let line = ShellText.lastLine(raw)
                for (index, pattern) in patterns.enumerated() where (try? pattern.wholeMatch(in: line)) != nil {
                    return (ShellText.redacting(secret, in: raw), index)
                }
                if let pager, !line.isEmpty, (try? pager.wholeMatch(in: line)) != nil {
                    try write(channel, [UInt8(ascii: " ")], deadline: deadline, action: "answering a pager prompt")
                    options.transcript?.record(.sent, [UInt8(ascii: " ")])
                    pagerAnswersInLastExchange += 1
                    continue
                }
            }
            try waitForSocket(deadline: deadline, limit: options.operationTimeout, while: action)
        }
    }

    private func write(_ channel: OpaquePointer, _ bytes: [UInt8], deadline: ContinuousClock.Instant, action: String) throws(SSHTransportError) {
        var offset = 0
        while offset < bytes.count {
            let rc = bytes.withUnsafeBufferPointer { pointer in
                pointer.baseAddress.map { base in
                    base.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: bytes.count - offset) {
                        dw_channel_write(channel, $0, bytes.count - offset)
                    }
                } ?? 0
            }
            if rc > 0 {
                offset += rc
            } else if rc == Int(DW_ERROR_EAGAIN) || rc == 0 {
                try waitForSocket(deadline: deadline, limit: options.operationTimeout, while: action)
            } else {
                throw failure(rc, .channelFailed, action)
            }
        }
    }
}
