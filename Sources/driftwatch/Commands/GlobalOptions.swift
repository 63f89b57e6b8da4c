import ArgumentParser

/// Options every command takes (DESIGN §7): `--config PATH`.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("The configuration file (settings, inventory, approvers).", valueName: "PATH"))
    var config: String = "./driftwatch.yaml"
}
