import ArgumentParser

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Offline: hierarchical diff and remediation of two configuration files."
    )
    @Argument(help: "The reference configuration (for example the baseline).") var a: String
    @Argument(help: "The configuration to compare with it (for example the running config).") var b: String
    @Option(help: "The platform profile (cisco_ios, juniper_junos, …).") var platform: String
    @Flag(help: "Print the stable JSON form.") var json = false

    func run() async throws {
        throw ValidationError("compare is not built yet")
    }
}
