import ArgumentParser

struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Offline: print a configuration file normalized and with secrets masked."
    )
    @Argument(help: "The configuration file to normalize.") var file: String
    @Option(help: "The platform profile (cisco_ios, juniper_junos, …).") var platform: String

    func run() async throws {
        throw ValidationError("normalize is not built yet")
    }
}
