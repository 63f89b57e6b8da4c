import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline show DEVICE [--version N]`.
struct BaselineShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a baseline version (its record as '# ' lines, then the configuration).",
        discussion: """
            The content is checked against the sha256 in its record before it is printed.

            Examples:
              driftwatch baseline show core-sw-01
              driftwatch baseline show core-sw-01 --version 2 --raw > v2.cfg
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device name.") var device: String
    @Option(help: ArgumentHelp("The version (default: the latest).", valueName: "N")) var version: Int?
    @Flag(help: "Print the configuration only, without the '# ' header.") var raw = false

    func run() throws {
        try BaselineCommandSupport.run("baseline show") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let chain = try workspace.store.chain(for: device)
            guard let number = version ?? chain.latestVersion() else {
                throw BaselineError(
                    .notFound,
                    "\(device) has no approved baseline; approve one with 'driftwatch baseline approve \(device) --from-file PATH --reason TEXT'"
                )
            }
            let shown = try workspace.store.version(number, of: device)
            if !raw {
                let record = shown.record
                BaselineCommandSupport.print(
                    "# \(device) v\(record.version) (\(record.mode?.rawValue ?? "full")), approved by \(record.approver) at \(record.approvedAt)"
                )
                BaselineCommandSupport.print(
                    "# reason: \(record.reason)\(record.ticket.map { " (ticket \($0))" } ?? "")")
                BaselineCommandSupport.print("# source: \(record.source.summary); sha256 \(record.contentSHA256)")
                if !record.ignore.isEmpty {
                    BaselineCommandSupport.print(
                        "# ignore: \(record.ignore.map(\.description).joined(separator: ", "))")
                }
            }
            BaselineCommandSupport.print(shown.text)
            return 0
        }
    }
}
