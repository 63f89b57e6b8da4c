import Foundation

/// A local command run without blocking a thread while it runs: the tests and the demo start
/// the `driftwatch` binary and system tools from async code, and `Process.waitUntilExit()` there
/// would hold one of the cooperative pool's few threads (two on a 2-core machine) and starve
/// every other task in the process, timers included.
public struct ChildProcess: Sendable {
    /// How a finished command ended and what it printed.
    public struct Result: Sendable {
        /// The exit status, or the signal number when the process was killed by a signal.
        public var status: Int32
        /// Everything written to standard output.
        public var output: String
        /// Everything written to standard error.
        public var error: String
    }

    private let process: LabProcess
    private let outputPath: String
    private let errorPath: String

    /// Starts `executable` with `arguments`; standard output and error go to temporary files that
    /// ``wait()`` reads and removes. `input`, when given, is written to standard input, which is
    /// then closed; otherwise standard input is `/dev/null`. `temporaryDirectory` is where those
    /// files go (default: the temporary directory; the demo keeps them inside its folder).
    public static func start(
        _ executable: String, _ arguments: [String], in folder: URL? = nil,
        environment: [String: String]? = nil, input: Data? = nil, temporaryDirectory: String? = nil
    ) throws -> ChildProcess {
        let base = temporaryDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? NSTemporaryDirectory()
        let stem = base + "driftwatch-child-\(UUID().uuidString)"
        let process = try LabProcess.launch(
            executable, arguments, logPath: stem + ".out", errorPath: stem + ".err", currentDirectory: folder,
            environment: environment, input: input)
        return ChildProcess(process: process, outputPath: stem + ".out", errorPath: stem + ".err")
    }

    /// Runs a command to completion; see ``start(_:_:in:environment:input:temporaryDirectory:)``.
    public static func run(
        _ executable: String, _ arguments: [String], in folder: URL? = nil,
        environment: [String: String]? = nil, input: Data? = nil, temporaryDirectory: String? = nil
    ) async throws -> Result {
        try await start(
            executable, arguments, in: folder, environment: environment, input: input, temporaryDirectory: temporaryDirectory
        ).wait()
    }

    /// The process id.
    public var pid: Int32 { process.pid }

    /// Sends `signal` to the process if it still runs.
    public func signal(_ signal: Int32) { process.signal(signal) }

    /// Waits, without blocking a thread, for the process to exit and returns what it printed.
    public func wait() async -> Result {
        let status = await process.waitForExit()
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        return Result(
            status: status,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}
