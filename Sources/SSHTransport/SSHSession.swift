/// One authenticated SSH connection. Get one from ``SSHClient/withSession(to:credentials:options:isolation:_:)``.
///
/// Operations on one session run one at a time (concurrent calls wait for each other). After a
/// timeout, an output over the limit, a lost connection or a refused channel the session is
/// closed: further calls throw ``SSHTransportError/Code/sessionClosed``; open a new session.
/// (A refused enable secret or an unknown command on the device leave the session usable.)
public final class SSHSession: Sendable {
    /// Where this session is connected.
    public let endpoint: SSHEndpoint
    let client: SSHClient
    let handle: SessionHandle
    let options: SSHOptions

    init(client: SSHClient, handle: SessionHandle, endpoint: SSHEndpoint, options: SSHOptions) {
        self.client = client
        self.handle = handle
        self.endpoint = endpoint
        self.options = options
    }

    /// Runs `command` on an exec channel (no PTY) and returns its output and exit status.
    /// Bounded by ``SSHOptions/operationTimeout`` and ``SSHOptions/outputLimit``.
    public func exec(_ command: String) async throws -> ExecResult {
        let handle = self.handle
        let endpoint = self.endpoint
        return try await client.run(endpoint) { try handle.with(endpoint) { (connection) throws(SSHTransportError) in try connection.exec(command) } }
    }

    /// Reads a whole file over SFTP. Bounded by the operation timeout and the output limit.
    public func sftpRead(_ path: String) async throws -> [UInt8] {
        let handle = self.handle
        let endpoint = self.endpoint
        return try await client.run(endpoint) { try handle.with(endpoint) { (connection) throws(SSHTransportError) in try connection.sftpRead(path) } }
    }

    /// Opens an interactive shell on a PTY, waits for the first prompt, runs the setup commands,
    /// runs `body` and closes the shell.
    public func withShell<Result>(
        _ shellOptions: ShellOptions = ShellOptions(), isolation: isolated (any Actor)? = #isolation,
        _ body: (SSHShell) async throws -> Result
    ) async throws -> Result {
        let handle = self.handle
        let endpoint = self.endpoint
        let opened = try await client.run(endpoint) {
            try handle.with(endpoint) { connection throws(SSHTransportError) in
                let (id, raw) = try connection.openShell(shellOptions)
                return ShellOpening(id: id, banner: ShellText.banner(raw))
            }
        }
        let shell = SSHShell(session: self, id: opened.id, options: shellOptions, banner: opened.banner)
        do {
            for command in shellOptions.setupCommands { _ = try await shell.run(command) }
            let result = try await body(shell)
            await shell.close()
            return result
        } catch {
            await shell.close()
            throw error
        }
    }

    /// Disconnects and frees every resource. Idempotent; ``SSHClient/withSession(to:credentials:options:isolation:_:)`` calls it for you.
    public func close() async {
        let handle = self.handle
        _ = try? await client.run(endpoint) { handle.close() }
    }
}

struct ShellOpening: Sendable {
    var id: Int
    var banner: String
}
