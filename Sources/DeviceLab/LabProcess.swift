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
    static func launch(_ executable: String, _ arguments: [String], logPath: String? = nil) throws -> LabProcess {
        let box = LabProcess()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        if let logPath {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let handle = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        process.terminationHandler = { finished in
            box.didExit(finished.terminationStatus)
        }
        try process.run()
        let pid = process.processIdentifier
        box.state.withLock {
            $0.pid = pid
            $0.process = process
        }
        return box
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
