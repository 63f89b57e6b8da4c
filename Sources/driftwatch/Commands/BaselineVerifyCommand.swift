import ArgumentParser
import Baselines
import DriftWatch

/// `driftwatch baseline verify`.
struct BaselineVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every baseline and standard hash chain; exit 1 on any problem.",
        discussion: """
            Reports each edited, removed, reordered, unsigned or unreadable version by device (or \
            standard) and version number, and cross-checks the records against the audit log.

            Examples:
              driftwatch baseline verify
              driftwatch baseline verify --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(
        help:
            "Print the issues as JSON: {\"intact\": bool, \"issues\": [{scope, subject, version, kind, file, message}]}."
    ) var json = false

    func run() throws {
        try BaselineCommandSupport.run("baseline verify") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let issues = try workspace.verifyBaselines()
            if json {
                let list: [[String: Any]] = issues.map {
                    [
                        "scope": $0.scope.rawValue, "subject": $0.subject, "version": $0.version,
                        "kind": $0.kind.rawValue, "file": $0.file, "message": $0.message,
                    ]
                }
                BaselineCommandSupport.print(BaselineCommandSupport.json(["intact": issues.isEmpty, "issues": list]))
            } else if issues.isEmpty {
                let devices = workspace.store.devices()
                let versions = devices.reduce(0) { $0 + ((try? workspace.store.chain(for: $1).versions().count) ?? 0) }
                BaselineCommandSupport.print(
                    "intact: \(devices.count) devices, \(versions) baseline versions, \(workspace.store.standards.names().count) standards"
                )
            } else {
                for issue in issues { BaselineCommandSupport.print(issue.description) }
                BaselineCommandSupport.print(
                    "\(issues.count) problem(s): restore the files from your baselines repository (git) or re-approve")
            }
            return issues.isEmpty ? 0 : 1
        }
    }
}
