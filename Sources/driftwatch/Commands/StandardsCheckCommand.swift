import ArgumentParser
import Baselines
import DriftWatch
import Foundation

/// `driftwatch standards check [DEVICE…] | --file PATH --platform P`.
struct StandardsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate standards; exit 1 when there are findings.",
        discussion: """
            Today a device is checked against its latest approved baseline (stored snapshots of \
            the running configuration arrive with the watcher). With --file, a configuration file \
            is normalized with --platform's profile and checked against the standards for that \
            platform (and the --group groups, when given). Devices without a baseline are listed \
            as skipped. Exit codes: 0 no findings, 1 findings, 2 error.

            Examples:
              driftwatch standards check
              driftwatch standards check core-sw-01 edge-01 --json
              driftwatch standards check --file router.cfg --platform cisco_ios --group core
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Devices to check (default: every inventory device).") var devices: [String] = []
    @Option(help: ArgumentHelp("Check this configuration file instead of device baselines.", valueName: "PATH"))
    var file: String?
    @Option(help: "The platform of --file (cisco_ios, arista_eos, juniper_junos, linux, …).") var platform: String?
    @Option(help: ArgumentHelp("A group the --file device belongs to (repeatable).", valueName: "GROUP")) var group:
        [String] = []
    @Flag(
        help:
            "Print the results as JSON: [{target, evaluated, standards, skipped, findings: [{standard, rule, severity, section, evidence, message, source}]}]."
    ) var json = false

    func validate() throws {
        if file != nil {
            guard platform != nil else { throw ValidationError("--file needs --platform") }
            guard devices.isEmpty else { throw ValidationError("give devices or --file, not both") }
        }
    }

    func run() throws {
        try BaselineCommandSupport.run("standards check") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let results: [StandardsCheckResult]
            if let file, let platform {
                results = [try workspace.checkStandards(file: file, platform: platform, groups: group)]
            } else {
                results = try workspace.checkStandards(devices: devices)
            }
            if json {
                let list: [[String: Any]] = results.map { result in
                    [
                        "target": result.target, "evaluated": result.evaluated, "standards": result.standards,
                        "skipped": result.skipped as Any? ?? NSNull(),
                        "findings": result.findings.map { finding -> [String: Any] in
                            [
                                "standard": finding.standard, "rule": finding.ruleID,
                                "severity": finding.severity.rawValue,
                                "section": finding.sectionPath, "evidence": finding.evidence,
                                "message": finding.message,
                                "source": finding.source as Any? ?? NSNull(),
                            ]
                        },
                    ]
                }
                BaselineCommandSupport.print(BaselineCommandSupport.json(list))
            } else {
                for result in results {
                    if let skipped = result.skipped {
                        BaselineCommandSupport.print("\(result.target): skipped, \(skipped)")
                        continue
                    }
                    let standards =
                        result.standards.isEmpty ? "no standard applies" : result.standards.joined(separator: ", ")
                    BaselineCommandSupport.print(
                        "\(result.target) (\(result.evaluated)): \(result.findings.count) finding(s); \(standards)")
                    for finding in result.findings {
                        BaselineCommandSupport.print("  \(finding)")
                        for line in finding.evidence { BaselineCommandSupport.print("      \(line)") }
                    }
                }
            }
            return results.contains { !$0.findings.isEmpty } ? 1 : 0
        }
    }
}
