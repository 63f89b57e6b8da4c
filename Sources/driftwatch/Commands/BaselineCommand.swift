import ArgumentParser

/// `driftwatch baseline …`: approved, versioned, tamper-evident baselines.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Approve, inspect, roll back and verify device baselines.",
        discussion: """
            Baselines live in the 'baselines:' folder of driftwatch.yaml: devices/<device>/v<N>.cfg \
            (normalized, secrets masked) and v<N>.json (approver, time, reason, ticket, source, \
            sha256 of the .cfg, sha256 of the previous .json). Exit codes: 0 ok, 1 verify failure \
            or declined, 2 error.

            Examples:
              driftwatch baseline approve core-sw-01 --from-file core-sw-01.cfg --reason "NTP change" --ticket CHG-42
              driftwatch baseline history core-sw-01
              driftwatch baseline verify
            """,
        subcommands: [
            BaselineApproveCommand.self, BaselineListCommand.self, BaselineShowCommand.self,
            BaselineHistoryCommand.self,
            BaselineVerifyCommand.self, BaselineRollbackCommand.self,
        ]
    )
}
