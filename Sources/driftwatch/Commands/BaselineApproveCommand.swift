import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline approve DEVICE (--snapshot ID|latest | --from-file PATH) --reason TEXT …`.
struct BaselineApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a new baseline version for a device.",
        discussion: """
            The file is normalized with the device's platform profile (volatile lines dropped, \
            secrets masked) and the diff against the current version is shown. On a terminal you \
            are asked to confirm; without one, --yes is required. The approver (your login name, \
            or --as NAME) must be listed under 'approvers' in driftwatch.yaml for every group of \
            the device. --snapshot takes a snapshot stored by 'driftwatch check' or 'collect' \
            (its id, or 'latest' for the device's newest).

            Examples:
              driftwatch baseline approve core-sw-01 --snapshot latest --reason "CHG-42 done" --ticket CHG-42 --yes
              driftwatch baseline approve core-sw-01 --from-file core-sw-01.cfg --reason "new NTP servers" --ticket CHG-42
              driftwatch baseline approve edge-01 --from-file edge-01.cfg --reason "snippet" --mode partial --yes
              driftwatch baseline approve core-sw-01 --from-file r.cfg --reason "lab" --ignore 'startsWith:ntp clock-period'
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device name, as in driftwatch.yaml.") var device: String
    @Option(
        help: ArgumentHelp("A stored snapshot id (see 'driftwatch status'), or 'latest'.", valueName: "ID")
    ) var snapshot: String?
    @Option(help: ArgumentHelp("A configuration file to approve (normalized first).", valueName: "PATH")) var fromFile:
        String?
    @Option(help: "Why this version is approved (recorded and audited).") var reason: String
    @Option(help: "The change ticket, e.g. CHG-42.") var ticket: String?
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Approve as this approver instead of your login name.", valueName: "NAME")) var approver:
        String?
    @Option(help: "full: the whole configuration must match; partial: only the sections in the baseline are compared.")
    var mode: String = "full"
    @Option(
        help: ArgumentHelp(
            "Lines that may differ without drift, KIND:PATTERN (KIND: startsWith, contains, endsWith, equals, regex). Repeatable.",
            valueName: "KIND:PATTERN")) var ignore: [String] = []
    @Flag(help: "Do not ask for confirmation (required without a terminal).") var yes = false

    func validate() throws {
        guard (snapshot == nil) != (fromFile == nil) else {
            throw ValidationError("give exactly one of --snapshot ID|latest or --from-file PATH")
        }
        guard BaselineMode(rawValue: mode) != nil else { throw ValidationError("--mode is full or partial") }
    }

    func run() throws {
        try BaselineCommandSupport.run("baseline approve") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let name = try ApproverIdentity.resolve(approver)
            let rules = try ignore.map(BaselineCommandSupport.predicate)
            let baselineMode = BaselineMode(rawValue: mode) ?? .full
            let plan: ApprovalPlan
            if let snapshot {
                plan = try workspace.planFromSnapshot(
                    device: device, snapshot: snapshot, approver: name, mode: baselineMode, ignore: rules)
            } else {
                plan = try workspace.planFromFile(
                    device: device, path: fromFile ?? "", approver: name, mode: baselineMode, ignore: rules)
            }
            BaselineCommandSupport.show(plan)
            try BaselineCommandSupport.confirm("Approve this as \(device) v\(plan.currentVersion + 1)?", yes: yes)
            let record = try workspace.commit(
                plan, reason: reason, ticket: ticket, expectedHead: yes ? nil : plan.currentVersion)
            BaselineCommandSupport.print(
                "approved \(device) v\(record.version) by \(record.approver) (content sha256 \(record.contentSHA256))")
            if let note = WatcherClient.requestApprovalRecheck(configPath: global.config, device: device, user: name) {
                BaselineCommandSupport.print(note)
            }
            return 0
        }
    }
}
