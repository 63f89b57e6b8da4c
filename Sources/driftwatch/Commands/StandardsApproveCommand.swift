import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch standards approve NAME --reason TEXT …`.
struct StandardsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the working file of a standard as its next version.",
        discussion: """
            The approver must be allowed (under 'approvers' in driftwatch.yaml) for every group of \
            every inventory device the standard selects. The diff against the last approved \
            version is shown; on a terminal you are asked to confirm, otherwise --yes is required.

            Example:
              driftwatch standards approve ios-hardening --reason "adopt CIS 4.1" --ticket CHG-7 --yes
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The standard's name (its file name without .yaml).") var name: String
    @Option(help: "Why (recorded and audited).") var reason: String
    @Option(help: "The change ticket.") var ticket: String?
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Approve as this approver instead of your login name.", valueName: "NAME")) var approver:
        String?
    @Flag(help: "Do not ask for confirmation (required without a terminal).") var yes = false

    func run() throws {
        try BaselineCommandSupport.run("standards approve") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let plan = try workspace.planStandard(name, approver: try ApproverIdentity.resolve(approver))
            BaselineCommandSupport.show(plan)
            try BaselineCommandSupport.confirm("Approve standard \(name) v\(plan.currentVersion + 1)?", yes: yes)
            let record = try workspace.commit(
                plan, reason: reason, ticket: ticket, expectedHead: yes ? nil : plan.currentVersion)
            BaselineCommandSupport.print("approved standard \(name) v\(record.version) by \(record.approver)")
            return 0
        }
    }
}
