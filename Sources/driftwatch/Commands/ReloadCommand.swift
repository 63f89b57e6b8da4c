import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch reload`: ask the running watcher to re-read its configuration.
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the running watcher to re-read driftwatch.yaml (like SIGHUP).",
        discussion: """
            The request goes through the state store; the command waits (at most --timeout \
            seconds) for the watcher's answer and prints what changed. A configuration with errors \
            is refused and the watcher keeps running with the old one. Exit status: 0 reloaded, 2 \
            refused, no watcher running, or no answer in time.

            Examples:
              driftwatch reload
              driftwatch reload --config /etc/driftwatch/driftwatch.yaml
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "Seconds to wait for the watcher's answer.") var timeout: Int = 30

    func run() async throws {
        try await CheckCommand.guarded("reload") {
            let client = try WatcherClient.open(configPath: global.config)
            let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            let summary = try await client.reload(requestedBy: "\(user) (driftwatch reload)", timeout: .seconds(timeout))
            CheckCommand.write("reloaded: \(summary.devices) devices")
            if !summary.added.isEmpty { CheckCommand.write("  added: \(summary.added.joined(separator: ", "))") }
            if !summary.removed.isEmpty { CheckCommand.write("  removed: \(summary.removed.joined(separator: ", "))") }
            if !summary.changed.isEmpty { CheckCommand.write("  changed: \(summary.changed.joined(separator: ", "))") }
            return 0
        }
    }
}
