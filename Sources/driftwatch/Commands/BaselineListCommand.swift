import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline list`.
struct BaselineListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List devices with their latest baseline version.",
        discussion: """
            Every inventory device, and every device folder in baselines/devices, with the latest \
            version, its approver and time; '-' when none is approved yet.

            Example:
              driftwatch baseline list --config /etc/driftwatch/driftwatch.yaml
            """
    )
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try BaselineCommandSupport.run("baseline list") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let names = Array(Set(workspace.configuration.devices.map(\.name) + workspace.store.devices())).sorted()
            for name in names {
                let inInventory = workspace.configuration.devices.contains { $0.name == name }
                let note = inInventory ? "" : "  (not in inventory)"
                if let latest = try workspace.store.latest(for: name) {
                    let record = latest.record
                    BaselineCommandSupport.print(
                        "\(name)  v\(record.version)  \(record.approvedAt)  \(record.approver)  \(record.mode?.rawValue ?? "full")\(note)"
                    )
                } else {
                    BaselineCommandSupport.print("\(name)  -  no baseline approved\(note)")
                }
            }
            return 0
        }
    }
}
