import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline rollback DEVICE --to N --reason TEXT …`.
struct BaselineRollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Approve a new version equal to an earlier one.",
        discussion: """
            History is never rewritten: the rollback is a new version (N+1) with the content, \
            mode and ignore rules of version --to, approved and audited like any other.

            Example:
              driftwatch baseline rollback core-sw-01 --to 3 --reason "revert CHG-42" --ticket CHG-43
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device name.") var device: String
    @Option(help: ArgumentHelp("The version to return to.", valueName: "N")) var to: Int
    @Option(help: "Why (recorded and audited).") var reason: String
    @Option(help: "The change ticket.") var ticket: String?
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Approve as this approver instead of your login name.", valueName: "NAME")) var approver:
        String?
    @Flag(help: "Do not ask for confirmation (required without a terminal).") var yes = false

    func run() throws {
        try BaselineCommandSupport.run("baseline rollback") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let plan = try workspace.planRollback(
                device: device, to: to, approver: try ApproverIdentity.resolve(approver))
            BaselineCommandSupport.show(plan)
            try BaselineCommandSupport.confirm(
                "Approve \(device) v\(plan.currentVersion + 1) equal to v\(to)?", yes: yes)
            let record = try workspace.commit(
                plan, reason: reason, ticket: ticket, expectedHead: yes ? nil : plan.currentVersion)
            BaselineCommandSupport.print(
                "approved \(device) v\(record.version) (rollback to v\(to)) by \(record.approver)")
            // Like an approval: a running watcher compares the device with the new version now.
            if let note = WatcherClient.requestApprovalRecheck(
                configPath: global.config, device: device, user: record.approver)
            {
                BaselineCommandSupport.print(note)
            }
            return 0
        }
    }
}
