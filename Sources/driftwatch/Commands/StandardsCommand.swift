import ArgumentParser

/// `driftwatch standards …`: technical standards.
struct StandardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standards",
        abstract: "List, check and approve technical standards.",
        discussion: """
            Standards are YAML files in baselines/standards/<name>.yaml (guide: Sources/Baselines/Baselines.docc/WritingStandards.md). \
            A standard is approved like a baseline: 'standards approve NAME' copies the working \
            file into baselines/standards/.versions/<name>/v<N>.yaml with a hash-chained v<N>.json. \
            Checks use the latest approved version, or the working file of a never-approved \
            standard.

            Examples:
              driftwatch standards list
              driftwatch standards check core-sw-01
              driftwatch standards check --file router.cfg --platform cisco_ios
              driftwatch standards approve ios-hardening --reason "adopt CIS rules" --yes
            """,
        subcommands: [StandardsListCommand.self, StandardsCheckCommand.self, StandardsApproveCommand.self]
    )
}
