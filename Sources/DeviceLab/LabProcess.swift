import Foundation
import Synchronization

/// A child process the lab started, with a way to await its exit.
final class LabProcess: Sendable {
    private struct State {
        var process: Process?
        var pid: Int32 = 0
        var exited = false
        var status: Int32 = 0
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())

    private init() {}

    /// Starts `executable` with `arguments`, stdin from /dev/null and stdout+stderr into `logPath`
    /// (or discarded).
    /// `errorPath` separates stderr from stdout; `input` is written to stdin, which is then closed.
    static func launch(
        _ executable: String, _ arguments: [String], logPath: String? = nil, errorPath: String? = nil,
        currentDirectory: URL? = nil, environment: [String: String]? = nil, input: Data? = nil
    ) throws -> LabProcess {
        let box = LabProcess()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = environment }
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        if let logPath {
            let handle = Self.emptyFile(logPath)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        if let errorPath { process.standardError = Self.emptyFile(errorPath) }
        process.terminationHandler = { finished in
            box.didExit(finished.terminationStatus)
        }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        let pid = process.processIdentifier
        box.state.withLock {
            $0.pid = pid
            $0.process = process
        }
        return box
    }

    /// Creates (or empties) the file at `path` and opens it for writing.
    private static func emptyFile(_ path: String) -> FileHandle {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path) ?? FileHandle.nullDevice
    }

    var pid: Int32 { state.withLock { $0.pid } }
    var isRunning: Bool { state.withLock { !$0.exited } }

    private func didExit(_ status: Int32) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int32, Never>] in
            state.exited = true
            state.status = status
            state.process = nil
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done: Int32? = state.withLock { state in
                if state.exited { return state.status }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends `signal` if the process still runs.
    func signal(_ signal: Int32) {
        state.withLock { state in
            if !state.exited, state.pid > 0 { kill(state.pid, signal) }
        }
    }

    /// Runs a short command to completion and returns its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let logPath = NSTemporaryDirectory() + "driftwatch-lab-cmd-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let process = try launch(executable, arguments, logPath: logPath)
        let status = await process.waitForExit()
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return (status, output)
    }
}
