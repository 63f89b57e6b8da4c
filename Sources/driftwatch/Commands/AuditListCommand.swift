import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch audit [list] [--since DATE] [--json]`: both chains merged in time order, and
/// verified.
struct AuditListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the audit records of both chains in time order (the default of 'driftwatch audit').",
        discussion: """
            Each record is marked with its chain: 'file' (audit.jsonl, with its line) or 'store' \
            (the state database, with its sequence number). Both chains are always verified as \
            well (--since only filters what is printed); a broken chain is reported after the \
            records and the exit code is 1. 'driftwatch audit verify' only verifies (exit 2 when \
            broken).

            --json prints {"schema": 1, "intact": bool, "issues": [{"chain", "position", \
            "message"}], "records": [{"chain": "file"|"store", "line": N|null, "seq", "time", \
            "actor", "action", "target", "details": {…}, "prev_sha256": …|null, "sha256"}]}; \
            "seq" counts within its chain, "position" is a line of audit.jsonl (file) or a \
            sequence number (store).

            Examples:
              driftwatch audit --since 7d
              driftwatch audit list --since 2026-11-01T08:00:00Z --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(
        help: ArgumentHelp(
            "Only records from this time on: YYYY-MM-DD (UTC), an ISO 8601 time, or an age such as 7d, 12h, 30m.",
            valueName: "DATE"))
    var since: String?
    @Flag(help: "Print JSON (schema 1, see the discussion).") var json = false

    func validate() throws {
        if let since, AuditTrail.parseSince(since) == nil {
            throw ValidationError(
                "--since takes YYYY-MM-DD, an ISO 8601 time such as 2026-11-01T08:00:00Z, or an age such as 7d or 12h"
            )
        }
    }

    func run() async throws {
        try await CheckCommand.guarded("audit") {
            let configuration = try ConfigurationLoader().load(path: global.config)
            let trail = try AuditTrail(configuration: configuration)
            let entries = try await trail.entries(since: since.flatMap { AuditTrail.parseSince($0) })
            let reports = try await trail.verify()
            let intact = reports.allSatisfy(\.intact)
            if json {
                let records: [[String: Any]] = entries.map { entry in
                    [
                        "chain": entry.chain.rawValue, "line": entry.line.map { $0 as Any } ?? NSNull(),
                        "seq": entry.record.sequence, "time": entry.record.time, "actor": entry.record.actor,
                        "action": entry.record.action, "target": entry.record.target, "details": entry.record.details,
                        "prev_sha256": entry.record.previousSHA256.map { $0 as Any } ?? NSNull(),
                        "sha256": entry.record.sha256,
                    ]
                }
                let issues: [[String: Any]] = reports.flatMap { report in
                    report.issues.map {
                        ["chain": report.chain.rawValue, "position": $0.position, "message": $0.message]
                    }
                }
                CheckCommand.write(
                    BaselineCommandSupport.json(["schema": 1, "intact": intact, "issues": issues, "records": records]))
                return intact ? 0 : 1
            }
            for entry in entries {
                let record = entry.record
                let place = entry.chain == .file ? "file:\(entry.line ?? 0)" : "store:#\(record.sequence)"
                let details = record.details.keys.sorted().filter { !$0.hasSuffix("sha256") }.map {
                    "\($0)=\(record.details[$0] ?? "")"
                }.joined(separator: " ")
                CheckCommand.write(
                    "\(record.time)  \(place)  \(record.actor)  \(record.action)  \(record.target)  \(details)")
            }
            let counts = reports.map { "\($0.chain.rawValue) \($0.records)" }.joined(separator: ", ")
            if intact {
                CheckCommand.write(
                    "audit log intact: \(reports.map(\.records).reduce(0, +)) records (\(counts))")
            } else {
                for report in reports {
                    for issue in report.issues { CheckCommand.write("\(report.place(issue)): \(issue.message)") }
                }
            }
            return intact ? 0 : 1
        }
    }
}
