import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch audit [--since DATE] [--json]`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit log and verify its hash chain; exit 1 if it was tampered with.",
        discussion: """
            The log is <state folder>/audit.jsonl: one JSON record per line (seq, time, actor, \
            action, target, details, prev_sha256, sha256). The whole chain is always verified; \
            --since only filters what is printed. A tampered line is reported with its line number.

            Examples:
              driftwatch audit
              driftwatch audit --since 2026-11-01 --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(
        help: ArgumentHelp("Print records from this date or time on (YYYY-MM-DD or ISO-8601, UTC).", valueName: "DATE"))
    var since: String?
    @Flag(
        help:
            "Print JSON: {\"intact\": bool, \"issues\": [{line, message}], \"records\": [{line, seq, time, actor, action, target, details, prev_sha256, sha256}]}."
    ) var json = false

    func validate() throws {
        if let since, Self.parseDate(since) == nil {
            throw ValidationError("--since takes YYYY-MM-DD or an ISO-8601 time such as 2026-11-01T08:00:00Z")
        }
    }

    static func parseDate(_ text: String) -> String? {
        let dateOnly = text.count == 10 && text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
        if dateOnly { return text + "T00:00:00Z" }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { return nil }
        return formatter.string(from: date)
    }

    func run() throws {
        try BaselineCommandSupport.run("audit") {
            let workspace = try BaselineWorkspace.open(configPath: global.config)
            let log = workspace.audit
            let threshold = since.flatMap(Self.parseDate)
            let entries = try log.entries().filter { entry in
                guard let threshold, let record = entry.record else { return true }
                return record.time >= threshold
            }
            let issues = try log.verify()
            if json {
                let records: [[String: Any]] = entries.compactMap { entry in
                    guard let record = entry.record else { return nil }
                    return [
                        "line": entry.line, "seq": record.sequence, "time": record.time, "actor": record.actor,
                        "action": record.action,
                        "target": record.target, "details": record.details,
                        "prev_sha256": record.previousSHA256 as Any? ?? NSNull(),
                        "sha256": record.sha256,
                    ]
                }
                let issueList: [[String: Any]] = issues.map { ["line": $0.line, "message": $0.message] }
                BaselineCommandSupport.print(
                    BaselineCommandSupport.json(["intact": issues.isEmpty, "issues": issueList, "records": records]))
            } else {
                for entry in entries {
                    guard let record = entry.record else {
                        BaselineCommandSupport.print("\(entry.line): (unreadable line)")
                        continue
                    }
                    let details = record.details.keys.sorted().filter { !$0.hasSuffix("sha256") }.map {
                        "\($0)=\(record.details[$0] ?? "")"
                    }.joined(separator: " ")
                    BaselineCommandSupport.print(
                        "\(entry.line): \(record.time)  \(record.actor)  \(record.action)  \(record.target)  \(details)"
                    )
                }
                if issues.isEmpty {
                    BaselineCommandSupport.print(
                        "audit log intact: \(try log.entries().count) records in \(log.file.path)")
                } else {
                    for issue in issues {
                        BaselineCommandSupport.print("\(log.file.path):\(issue.line): \(issue.message)")
                    }
                }
            }
            return issues.isEmpty ? 0 : 1
        }
    }
}
