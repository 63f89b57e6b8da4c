import ArgumentParser
import DriftWatch

/// The root of the `driftwatch` command line. Behaviour lives in the library targets; this
/// target parses arguments and prints.
@main
struct DriftWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch",
        abstract: "Detect configuration drift on network devices and Linux hosts.",
        discussion: """
            Collects running configurations over SSH, normalizes them (volatile lines dropped,
            secrets masked by a keyed hash) and compares them with approved baselines and
            technical standards.

            Examples:
              driftwatch demo
              driftwatch normalize router.cfg --platform cisco_ios
              driftwatch compare running.cfg intended.cfg --platform juniper_junos --json
            """,
        version: DriftWatchVersion.current,
        subcommands: [
            NormalizeCommand.self, CompareCommand.self, BaselineCommand.self, StandardsCommand.self, AuditCommand.self,
            CheckCommand.self, CollectCommand.self, StatusCommand.self, DiffCommand.self, HostKeysCommand.self,
            WatchCommand.self,
            ReloadCommand.self,
            AlertsCommand.self,
            DemoCommand.self,
        ]
    )
}
