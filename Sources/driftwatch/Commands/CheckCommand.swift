import ArgumentParser
import ConfigDiff
import DriftWatch
import Foundation
import Logging

/// `driftwatch check [DEVICE…] [--json]`: collect now, compare with the approved baselines and
/// standards, store the states; exit 0 clean, 1 drift, 2 error.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Collect devices now and compare them with their approved baselines (exit 0 clean, 1 drift, 2 error).",
        discussion: """
            Each device is collected over SSH with its platform profile, normalized (volatile lines \
            dropped, secrets masked), stored as a snapshot and compared with its latest approved \
            baseline and the approved standards that apply. At most defaults.concurrency devices \
            are collected at once; a failing device never stops the others.

            Exit status: 2 when a device could not be collected or compared, otherwise 1 when a \
            device drifted or has no baseline yet, otherwise 0. --json prints the stable document \
            described in Sources/DriftWatch/Drift/CheckReport.swift (schema 1).

            Examples:
              driftwatch check
              driftwatch check core-sw-01 edge-01 --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Devices to check (default: every device in the inventory).") var devices: [String] = []
    @Flag(help: "Print the stable JSON document instead of text.") var json = false

    func run() async throws {
        try await Self.guarded("check") {
            let context = try OneShotContext.open(configPath: global.config)
            let report = try await context.driftCheck(logger: Self.logger()).run(try context.devices(devices))
            if json {
                var data = try report.jsonData()
                data.append(0x0A)
                FileHandle.standardOutput.write(data)
            } else {
                Self.printText(report)
            }
            return report.exitCode
        }
    }

    static func printText(_ report: CheckReport) {
        for device in report.devices {
            var line = "\(device.device): \(device.state.rawValue)"
            if let version = device.baselineVersion { line += " (baseline v\(version))" }
            if device.state == .drifted, let delta = device.delta {
                line += ", +\(delta.addedLines) -\(delta.removedLines)"
            }
            if !device.findings.isEmpty { line += ", \(device.findings.count) standards findings" }
            if device.inMaintenance { line += ", in maintenance window" }
            write(line)
            if let message = device.message { write("  \(message)") }
            if device.state == .drifted, let delta = device.delta, !delta.isEmpty {
                write(delta.render(indent: "  "))
            }
            for finding in device.findings { write("  ! \(finding.standard)/\(finding.rule): \(finding.message)") }
            if let hint = device.hint { write("  \(hint)") }
        }
        let summary = report.summary
        write(
            "\(summary.devices) devices: \(summary.clean) clean, \(summary.drifted) drifted, \(summary.unbaselined) unbaselined, \(summary.failed) failed"
        )
    }

    /// A logger to standard error for errors only (standard output carries the result).
    static func logger() -> Logger {
        var logger = Logger(label: "driftwatch", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .error
        return logger
    }

    /// Runs `body`; its result is the exit status. Library errors print as
    /// `driftwatch COMMAND: message` and exit 2.
    static func guarded(_ command: String, _ body: () async throws -> Int32) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as DriftWatchError {
            writeError("driftwatch \(command): \(error.description)")
            throw ExitCode(error.code == .declined ? 1 : 2)
        } catch {
            writeError("driftwatch \(command): \(error)")
            throw ExitCode(2)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// A line on standard output.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A line on standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
