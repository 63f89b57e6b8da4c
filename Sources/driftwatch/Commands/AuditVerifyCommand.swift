import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch audit verify [--json]`: both hash chains; exit 0 intact, 2 broken.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify both audit hash chains; exit 0 when intact, 2 when a record was tampered with.",
        discussion: """
            Recomputes the sha256 of every record of audit.jsonl and of the state database's \
            audit_log and checks that each names the one before it. The first broken record of \
            each chain is named (file line, or database sequence number).

            --json prints {"schema": 1, "intact": bool, "chains": [{"chain": "file"|"store", \
            "location", "records", "intact", "issues": [{"position", "message"}]}]}; position is a \
            line of audit.jsonl or a sequence number of audit_log.

            Examples:
              driftwatch audit verify
              driftwatch audit verify --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON (schema 1, see the discussion).") var json = false

    func run() async throws {
        try await CheckCommand.guarded("audit verify") {
            let configuration = try ConfigurationLoader().load(path: global.config)
            let reports = try await AuditTrail(configuration: configuration).verify()
            let intact = reports.allSatisfy(\.intact)
            if json {
                let chains: [[String: Any]] = reports.map { report in
                    [
                        "chain": report.chain.rawValue, "location": report.location, "records": report.records,
                        "intact": report.intact,
                        "issues": report.issues.map { ["position": $0.position, "message": $0.message] },
                    ]
                }
                CheckCommand.write(BaselineCommandSupport.json(["schema": 1, "intact": intact, "chains": chains]))
            } else {
                for report in reports {
                    if report.intact {
                        CheckCommand.write("\(report.chain.rawValue): intact, \(report.records) records in \(report.location)")
                    } else {
                        CheckCommand.write(
                            "\(report.chain.rawValue): BROKEN, \(report.issues.count) problems in \(report.location)")
                        for issue in report.issues { CheckCommand.write("  \(report.place(issue)): \(issue.message)") }
                    }
                }
            }
            for report in reports {
                if let first = report.issues.first {
                    CheckCommand.writeError(
                        "driftwatch audit verify: the \(report.chain.rawValue) chain is broken; first broken record at \(report.place(first)): \(first.message). Keep the file as evidence and restore it from a backup."
                    )
                }
            }
            return intact ? 0 : 2
        }
    }
}
