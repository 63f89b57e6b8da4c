import ArgumentParser

/// `driftwatch audit [--since DATE] [--json]` and `driftwatch audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit trail of both hash chains, or verify them.",
        discussion: """
            DriftWatch keeps two append-only, hash-chained audit logs: <state folder>/audit.jsonl \
            (chain 'file': baseline and standard approvals, rollbacks) and the state database's \
            audit_log table (chain 'store': host keys trusted or changed, alerts acknowledged, \
            configuration reloads, pruning). 'driftwatch audit' lists both merged in time order; \
            'driftwatch audit verify' recomputes every hash and link of both and exits 0 when \
            both are intact, 2 when a record was altered, removed, inserted or reordered.

            Examples:
              driftwatch audit
              driftwatch audit --since 7d
              driftwatch audit --since 2026-11-01 --json
              driftwatch audit verify
            """,
        subcommands: [AuditListCommand.self, AuditVerifyCommand.self],
        defaultSubcommand: AuditListCommand.self
    )
}
