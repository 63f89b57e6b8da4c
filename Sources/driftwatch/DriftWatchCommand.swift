import ArgumentParser
import DriftWatch
import Foundation

#if canImport(Glibc)
    import CMalloc
#endif

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

    /// Bounds glibc's malloc arenas to two, then runs the command.
    ///
    /// glibc gives threads that allocate at the same time arenas of their own (up to 8 per core)
    /// and keeps each arena's high-water mark: the watcher's threads (the cooperative pool,
    /// NIO's event loops, libssh2's thread pool, SQLite's) made its RSS climb about 5 MB a
    /// minute with 10,000 devices and no leak (`scripts/bench-watcher.sh`: 84 → 139 MB in 10
    /// minutes; 60 → 66 MB and flattening with two arenas at 3,000 devices, against 61 → 74 MB
    /// still climbing with the default). It must happen before a second thread allocates, so
    /// here, first. `MALLOC_ARENA_MAX` in the environment, which glibc reads itself, still wins.
    static func main() async {
        #if canImport(Glibc)
            if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil {
                _ = mallopt(M_ARENA_MAX, 2)
            }
        #endif
        await main(nil)
    }
}
