/// What a command run with ``SSHSession/exec(_:)`` produced.
public struct ExecResult: Sendable, Hashable {
    /// Bytes written to standard output.
    public var stdout: [UInt8]
    /// Bytes written to standard error.
    public var stderr: [UInt8]
    /// The exit status the server reported (0 if it reported none).
    public var exitStatus: Int32

    /// Makes a result.
    public init(stdout: [UInt8], stderr: [UInt8], exitStatus: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
    }

    /// Standard output decoded as UTF-8 (invalid sequences replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid sequences replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
