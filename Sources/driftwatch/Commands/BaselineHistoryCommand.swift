import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline history DEVICE`.
struct BaselineHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List every approved version of a device: who, when, why, from what.",
        discussion: """
            Example:
              driftwatch baseline history core-sw-01
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device name.") var device: String

    func run() throws {
        try BaselineCommandSupport.run("baseline history") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let chain = try workspace.store.chain(for: device)
            let versions = chain.versions()
            if versions.isEmpty {
                BaselineCommandSupport.print("\(device): no baseline approved yet")
            }
            for version in versions {
                let record = try chain.record(version)
                let ticket = record.ticket.map { " [\($0)]" } ?? ""
                BaselineCommandSupport.print(
                    "v\(record.version)  \(record.approvedAt)  \(record.approver)  \(record.source.summary)\(ticket)  \(record.reason)"
                )
            }
            return 0
        }
    }
}
