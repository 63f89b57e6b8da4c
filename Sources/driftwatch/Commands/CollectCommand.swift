import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch collect [DEVICE…]`: collect and store snapshots now (states are updated too).
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect devices now and store their snapshots.",
        discussion: """
            Like 'check', but prints only the collection result and snapshot of each device. The \
            device states are updated as by 'check'. Exit status: 0 when every device was \
            collected, 2 otherwise. When a watcher runs on the same state store, the devices are \
            put at the front of its queue instead (exit 0 once queued); see 'driftwatch status'.

            Examples:
              driftwatch collect
              driftwatch collect core-sw-01
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Devices to collect (default: every device in the inventory).") var devices: [String] = []

    func run() async throws {
        try await CheckCommand.guarded("collect") {
            let client = try WatcherClient.open(configPath: global.config)
            if client.isWatcherRunning {
                let user = ProcessInfo.processInfo.environment["USER"]
                let ids = try await client.requestCollection(devices, reason: .manual, user: user)
                let names = devices.isEmpty ? client.configuration.devices.map(\.name) : devices
                CheckCommand.write(
                    "a watcher is running: queued \(names.joined(separator: ", ")) at the front of its queue (\(ids.count) requests)"
                )
                return 0
            }
            let context = try OneShotContext.open(configPath: global.config)
            let report = try await context.driftCheck(logger: CheckCommand.logger()).run(try context.devices(devices))
            var failed = false
            for device in report.devices {
                if device.collection == .ok {
                    CheckCommand.write(
                        "\(device.device): ok, snapshot \(device.snapshotID.map(String.init) ?? "?") (\(device.durationMilliseconds) ms)"
                    )
                } else {
                    failed = true
                    CheckCommand.write("\(device.device): \(device.collection.rawValue)")
                    if let message = device.message { CheckCommand.write("  \(message)") }
                }
            }
            return failed ? 2 : 0
        }
    }
}
