import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch standards list`.
struct StandardsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List standards: approval status, selector and rules.",
        discussion: """
            A malformed standard is an error (exit 2) naming its file, line and key.

            Examples:
              driftwatch standards list
              driftwatch standards list --rules
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Also list each rule: id, severity and description.") var rules = false

    func run() throws {
        try BaselineCommandSupport.run("standards list") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            for loaded in try workspace.store.standards.loadAll() {
                let standard = loaded.standard
                let status: String
                switch loaded.status {
                case .unapproved: status = "unapproved"
                case .approved(let version): status = "approved v\(version)"
                case .modified(let version): status = "approved v\(version), working file modified"
                }
                let platforms =
                    standard.appliesTo.platforms.isEmpty
                    ? "all platforms" : standard.appliesTo.platforms.joined(separator: ",")
                let groups =
                    standard.appliesTo.groups.isEmpty ? "all groups" : standard.appliesTo.groups.joined(separator: ",")
                BaselineCommandSupport.print(
                    "\(standard.name)  \(standard.version)  \(status)  \(platforms); \(groups)  \(standard.rules.count) rules  \(standard.description)"
                )
                if rules {
                    for rule in standard.rules {
                        BaselineCommandSupport.print("  \(rule.id)  \(rule.severity.rawValue)  \(rule.description)")
                    }
                }
            }
            return 0
        }
    }
}
